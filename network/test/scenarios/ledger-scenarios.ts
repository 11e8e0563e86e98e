/**
 * The chaincode's scenarios, written against the LedgerClient interface only, so the same
 * suite runs on the embedded ledger and on Fabric: `describeLedgerScenarios(name, makeLedger)`.
 * Every party has its own ledger identity; consents, contracts and receipts carry real
 * EIP-712 signatures.
 */
import { consentTypedData, receiptTypedData, revocationTypedData, usageContractTypedData } from '@xinlian/chaincode';
import { Wallet, id as keccakText } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isChaincodeError } from '../../src/errors.js';
import type { ChaincodeEvent, LedgerClient } from '../../src/ledger-client.js';

export const PARTIES = {
  regulator: ['regulator'],
  operator: ['operator'],
  provider: ['provider'],
  lenderA: ['microlender'],
  lenderB: ['microlender'],
  exchange: ['exchange'],
} as const;
export type PartyName = keyof typeof PARTIES;

/** What a ledger implementation provides to the suite: one connected client per party, on a fresh chaincode. */
export interface ScenarioLedger {
  readonly clients: Readonly<Record<PartyName, LedgerClient>>;
  close(): Promise<void>;
}

const SUBJECT = `0x${'ab'.repeat(32)}`;
const HASH = `0x${'11'.repeat(32)}`;
const wallet = (name: string): Wallet => new Wallet(keccakText(`xinlian-scenario:${name}`));

export function describeLedgerScenarios(name: string, makeLedger: () => Promise<ScenarioLedger>): void {
  describe(`ledger scenarios on ${name}`, () => {
    let ledger: ScenarioLedger;
    let c: Readonly<Record<PartyName, LedgerClient>>;
    const subjectWallet = wallet('subject');
    const run = Date.now().toString(36);
    const ids = { consent: `consent-${run}`, contract: `contract-${run}`, receipt: `receipt-${run}`, check: `check-${run}` };
    const now = (): number => Math.floor(Date.now() / 1000);
    const submit = async (as: PartyName, fn: string, ...args: string[]) => JSON.parse((await c[as].submit(fn, args)).result) as Record<string, unknown>;
    const evaluate = async (as: PartyName, fn: string, ...args: string[]) => JSON.parse(await c[as].evaluate(fn, args)) as Record<string, unknown>;
    const info = (p: PartyName) => ({ id: p, name: `${p} Ltd`, roles: [...PARTIES[p]], signerAddress: wallet(p).address });

    beforeAll(async () => {
      ledger = await makeLedger();
      c = ledger.clients;
    });
    afterAll(async () => {
      await ledger?.close();
    });

    it('initialises the regulator bound to its ledger identity and admits the members', async () => {
      const regulator = await submit('regulator', 'institutions:Initialize', JSON.stringify(info('regulator')));
      expect(regulator).toMatchObject({ id: 'regulator', mspId: c.regulator.identity.mspId, clientId: c.regulator.identity.clientId });
      for (const p of Object.keys(PARTIES) as PartyName[]) {
        if (p === 'regulator') continue;
        const admitted = await submit('regulator', 'institutions:Admit', JSON.stringify({ ...info(p), ...c[p].identity }));
        expect(admitted).toMatchObject({ id: p, status: 'active' });
      }
      expect(await evaluate('lenderA', 'institutions:Whoami')).toMatchObject({ id: 'lenderA' });
    });

    it('registers the subject and publishes and lists products', async () => {
      await submit('operator', 'subjects:Register', SUBJECT, JSON.stringify([subjectWallet.address]));
      const product = (id: string, kind: string) =>
        JSON.stringify({ id, name: `${id} product`, kind, classification: 2, policy: { purposes: ['pre_loan'] }, outputSchemaHash: HASH, modelVersion: '1.0.0' });
      await submit('provider', 'products:Publish', product('score-1', 'score'));
      await submit('provider', 'products:Publish', product('check-1', 'check'));
      expect(await submit('exchange', 'products:ListOnExchange', 'score-1', 'SZDE-2025-0001')).toMatchObject({ id: 'score-1', listing: expect.anything() });
    });

    it('records consent, contract and receipt with real EIP-712 signatures', async () => {
      const consent = { consentId: ids.consent, subjectToken: SUBJECT, grantee: 'lenderA', products: ['score-1', 'check-1'], purpose: 'pre_loan', validUntil: now() + 86_400, issuedAt: now() - 60 };
      const ct = consentTypedData(consent);
      await submit('lenderA', 'consents:Grant', JSON.stringify(consent), await subjectWallet.signTypedData(ct.domain, ct.types, ct.message));
      const agreement = { contractId: ids.contract, productId: 'score-1', provider: 'provider', consumer: 'lenderA', purpose: 'pre_loan', validUntil: now() + 86_400, maxUses: 10, ratePerMinute: 5, policyHash: HASH };
      const ut = usageContractTypedData(agreement);
      const sign = (p: PartyName) => wallet(p).signTypedData(ut.domain, ut.types, ut.message);
      await submit('lenderA', 'contracts:Agree', JSON.stringify(agreement), await sign('provider'), await sign('lenderA'));
      const receipt = { receiptId: ids.receipt, contractId: ids.contract, consentId: ids.consent, productId: 'score-1', modelVersion: '1.0.0', subjectToken: SUBJECT, outputHash: HASH, issuedAt: now() };
      const rt = receiptTypedData(receipt);
      const signature = await wallet('provider').signTypedData(rt.domain, rt.types, rt.message);
      const { txId } = await c.provider.submit('receipts:Record', [JSON.stringify({ ...receipt, signature })]);
      expect(await evaluate('lenderA', 'receipts:Get', ids.receipt)).toMatchObject({ receiptId: ids.receipt, txId });
      expect(await c.regulator.getTransaction(txId)).toMatchObject({ validationCode: 'VALID', function: 'receipts:Record', creator: c.provider.identity });
    });

    it('runs a multi-lending check over other lenders\' events in two steps', async () => {
      const at = new Date(Date.now() - 3_600_000).toISOString();
      await submit('lenderB', 'lending:Record', JSON.stringify([{ subjectToken: SUBJECT, type: 'application', occurredAt: at }]));
      expect(await submit('lenderA', 'lending:RequestCheck', ids.check, SUBJECT, ids.consent)).toMatchObject({ checkId: ids.check });
      const result = await evaluate('lenderA', 'lending:GetCheckResult', ids.check);
      expect(result).toMatchObject({ checkId: ids.check, windows: { '7d': { institutions: 1, applications: 1 } } });
      expect(JSON.stringify(result)).not.toContain('lenderB');
    });

    it('commits a denial the regulator sees in the audit trail and as an event', async () => {
      const start = await c.regulator.getHeight();
      const err = await c.provider.submit('lending:Record', [JSON.stringify([{ subjectToken: SUBJECT, type: 'loan', occurredAt: new Date().toISOString() }])]).catch((e: unknown) => e);
      expect(isChaincodeError(err, 'CC_FORBIDDEN')).toBe(true);
      const { txId, recorded, blockNumber } = err as { txId: string; recorded: boolean; blockNumber: bigint };
      expect(recorded).toBe(true);
      const audit = (await evaluate('regulator', 'audit:Events', JSON.stringify({ type: 'denied' }))) as { events: { txId: string; institution: string }[] };
      expect(audit.events).toEqual(expect.arrayContaining([expect.objectContaining({ txId, institution: 'provider' })]));
      const events = await c.regulator.chaincodeEvents({ startBlock: start });
      let denied: ChaincodeEvent | undefined;
      for await (const e of events) if (e.transactionId === txId) { denied = e; break; }
      events.close();
      expect(denied).toMatchObject({ eventName: 'denied', blockNumber });
      await expect(c.lenderA.evaluate('audit:Events', ['{}'])).rejects.toMatchObject({ name: 'ChaincodeError' });
    });

    it('revokes the consent with the subject\'s signature; later checks are refused', async () => {
      const rt = revocationTypedData({ consentId: ids.consent, subjectToken: SUBJECT });
      await submit('lenderA', 'consents:Revoke', ids.consent, await subjectWallet.signTypedData(rt.domain, rt.types, rt.message));
      const refused = await c.lenderA.submit('lending:RequestCheck', [`${ids.check}-2`, SUBJECT, ids.consent]).catch((e: unknown) => e);
      expect(refused).toMatchObject({ name: 'ChaincodeError', code: 'CC_CONSENT_REVOKED', recorded: true });
      expect((await c.regulator.checkIntegrity()).ok).toBe(true);
    });
  });
}
