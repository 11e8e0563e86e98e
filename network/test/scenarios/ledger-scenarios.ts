/**
 * The chaincode's scenarios, written against the LedgerClient interface only, so the same
 * suite runs on the embedded ledger and on Fabric: `describeLedgerScenarios(name, makeLedger)`.
 * Every party has its own ledger identity; consents, contracts and receipts carry real
 * EIP-712 signatures.
 */
import { consentTypedData, isCodedError, receiptTypedData, revocationTypedData, usageContractTypedData } from '@xinlian/chaincode';
import { Wallet, id as keccakText } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
const HASH2 = `0x${'22'.repeat(32)}`;
const wallet = (name: string): Wallet => new Wallet(keccakText(`xinlian-scenario:${name}`));

export function describeLedgerScenarios(name: string, makeLedger: () => Promise<ScenarioLedger>): void {
  describe(`ledger scenarios on ${name}`, () => {
    let ledger: ScenarioLedger;
    let c: Readonly<Record<PartyName, LedgerClient>>;
    const subjectWallet = wallet('subject');
    const run = Date.now().toString(36);
    const ids = { consent: `consent-${run}`, contract: `contract-${run}`, contract2: `contract2-${run}`, receipt: `receipt-${run}`, check: `check-${run}`, batch: `batch-${run}` };
    const now = (): number => Math.floor(Date.now() / 1000);
    const submit = async (as: PartyName, fn: string, ...args: string[]) => JSON.parse((await c[as].submit(fn, args)).result) as Record<string, unknown>;
    const evaluate = async (as: PartyName, fn: string, ...args: string[]) => JSON.parse(await c[as].evaluate(fn, args)) as Record<string, unknown>;
    /** Waits until `as`'s peer has committed `block` (on Fabric, a submit waits for the submitter's peer only). */
    const caughtUp = async (as: PartyName, block: bigint): Promise<void> => {
      while ((await c[as].getHeight()) <= block) await new Promise((r) => setTimeout(r, 50));
    };
    /** The error a call rejects with (undefined when it resolves). */
    const refusal = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);
    const lendingEvent = (type: string, msAgo = 3_600_000, subjectToken = SUBJECT) => ({ subjectToken, type, occurredAt: new Date(Date.now() - msAgo).toISOString() });
    const agreementFor = (contractId: string, productId: string) => ({ contractId, productId, provider: 'provider', consumer: 'lenderA', purpose: 'pre_loan', validUntil: now() + 86_400, maxUses: 10, ratePerMinute: 5, policyHash: HASH });
    const agreeArgs = async (agreement: ReturnType<typeof agreementFor>): Promise<string[]> => {
      const ut = usageContractTypedData(agreement);
      const sign = (p: PartyName) => wallet(p).signTypedData(ut.domain, ut.types, ut.message);
      return [JSON.stringify(agreement), await sign('provider'), await sign('lenderA')];
    };
    const signedReceipt = async (receiptId: string, contractId: string, productId: string) => {
      const receipt = { receiptId, contractId, consentId: ids.consent, productId, modelVersion: '1.0.0', subjectToken: SUBJECT, outputHash: HASH, issuedAt: now() };
      const rt = receiptTypedData(receipt);
      return { ...receipt, signature: await wallet('provider').signTypedData(rt.domain, rt.types, rt.message) };
    };
    let recordedReceipt: Record<string, unknown> = {};
    const firstBatch: { events: string; result: Record<string, unknown> } = { events: '', result: {} };
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
      await submit('provider', 'products:Publish', product('score-2', 'score'));
      expect(await submit('exchange', 'products:ListOnExchange', 'score-1', 'SZDE-2025-0001')).toMatchObject({ id: 'score-1', listing: expect.anything() });
    });

    it('records consent, contract and receipt with real EIP-712 signatures', async () => {
      const consent = { consentId: ids.consent, subjectToken: SUBJECT, grantee: 'lenderA', products: ['score-1', 'check-1', 'score-2'], purpose: 'pre_loan', validUntil: now() + 86_400, issuedAt: now() - 60 };
      const ct = consentTypedData(consent);
      await submit('lenderA', 'consents:Grant', JSON.stringify(consent), await subjectWallet.signTypedData(ct.domain, ct.types, ct.message));
      const agreement = { contractId: ids.contract, productId: 'score-1', provider: 'provider', consumer: 'lenderA', purpose: 'pre_loan', validUntil: now() + 86_400, maxUses: 10, ratePerMinute: 5, policyHash: HASH };
      const ut = usageContractTypedData(agreement);
      const sign = (p: PartyName) => wallet(p).signTypedData(ut.domain, ut.types, ut.message);
      await submit('lenderA', 'contracts:Agree', JSON.stringify(agreement), await sign('provider'), await sign('lenderA'));
      const receipt = { receiptId: ids.receipt, contractId: ids.contract, consentId: ids.consent, productId: 'score-1', modelVersion: '1.0.0', subjectToken: SUBJECT, outputHash: HASH, issuedAt: now() };
      const rt = receiptTypedData(receipt);
      const signature = await wallet('provider').signTypedData(rt.domain, rt.types, rt.message);
      const { txId, result } = await c.provider.submit('receipts:Record', [JSON.stringify({ ...receipt, signature })]);
      recordedReceipt = JSON.parse(result) as Record<string, unknown>;
      expect(await evaluate('lenderA', 'receipts:Get', ids.receipt)).toMatchObject({ receiptId: ids.receipt, txId });
      expect(await c.regulator.getTransaction(txId)).toMatchObject({ validationCode: 'VALID', function: 'receipts:Record', creator: c.provider.identity });
    });

    it('verifies a receipt field by field against the ledger, at its recording time', async () => {
      const verify = (receipt: Record<string, unknown>) => evaluate('lenderB', 'receipts:Verify', JSON.stringify(receipt));
      const all = { ledger: true, contract: true, consent: true };
      expect(await verify(recordedReceipt)).toEqual(all);
      const { receiptId, contractId, consentId, outputHash, provider, signature, txId } = recordedReceipt;
      const asHeld = { receiptId, contractId, consentId, outputHash, provider, signature, txId };
      expect(await verify(asHeld)).toEqual(all);
      const tx = String(txId);
      expect(tx.toUpperCase()).not.toBe(tx);
      for (const forged of [{ ...asHeld, txId: `${tx.startsWith('f') ? 'e' : 'f'}${tx.slice(1)}` }, { ...asHeld, txId: tx.toUpperCase() }, { ...asHeld, txId: 'x' }, { ...asHeld, extra: 1 }, { ...asHeld, outputHash: HASH2 }, { ...asHeld, provider: 'lenderB' }]) {
        expect(await verify(forged), JSON.stringify(forged)).toEqual({ ...all, ledger: false });
      }
      expect(await verify({ ...asHeld, receiptId: `ghost-${run}` })).toEqual({ ledger: false, contract: false, consent: false });
    });

    it('answers consent and contract reads only to their parties and the regulator, as if absent to others', async () => {
      for (const reader of ['lenderA', 'provider', 'regulator'] as const) {
        expect(await evaluate(reader, 'consents:Get', ids.consent)).toMatchObject({ consentId: ids.consent });
        expect(await evaluate(reader, 'contracts:Get', ids.contract)).toMatchObject({ contractId: ids.contract });
      }
      for (const other of ['lenderB', 'exchange', 'operator'] as const) {
        expect(await refusal(c[other].evaluate('consents:Get', [ids.consent]))).toMatchObject({ code: 'CC_NOT_FOUND', message: `[CC_NOT_FOUND] consent ${ids.consent} not found` });
        expect(await refusal(c[other].evaluate('contracts:Get', [ids.contract]))).toMatchObject({ code: 'CC_NOT_FOUND', message: `[CC_NOT_FOUND] contract ${ids.contract} not found` });
        expect(await evaluate(other, 'consents:Check', ids.consent, 'lenderA', 'score-1', 'pre_loan', new Date().toISOString())).toEqual({ valid: false, code: 'CC_CONSENT_NOT_FOUND' });
      }
      expect(await evaluate('provider', 'consents:Check', ids.consent, 'lenderA', 'score-1', 'pre_loan', new Date().toISOString())).toEqual({ valid: true });
    });

    it('runs a multi-lending check over other lenders\' events in two steps', async () => {
      const at = new Date(Date.now() - 3_600_000).toISOString();
      firstBatch.events = JSON.stringify([{ subjectToken: SUBJECT, type: 'application', occurredAt: at }]);
      firstBatch.result = await submit('lenderB', 'lending:Record', ids.batch, firstBatch.events);
      expect(firstBatch.result).toMatchObject({ accepted: 1, batchId: ids.batch, replayed: false });
      expect(await submit('lenderA', 'lending:RequestCheck', ids.check, SUBJECT, ids.consent)).toMatchObject({ checkId: ids.check });
      const result = await evaluate('lenderA', 'lending:GetCheckResult', ids.check);
      expect(result).toMatchObject({ checkId: ids.check, windows: { '7d': { institutions: 1, applications: 1 } } });
      expect(JSON.stringify(result)).not.toContain('lenderB');
      // only the requester reads it; to anyone else it does not exist
      expect(await refusal(c.lenderB.evaluate('lending:GetCheckResult', [ids.check]))).toMatchObject({ code: 'CC_NOT_FOUND', message: `[CC_NOT_FOUND] check ${ids.check} not found` });
    });

    it('records a retried lending batch once: the replay answers the first result and counts nothing twice', async () => {
      const lendingAudit = async () => ((await evaluate('regulator', 'audit:Events', JSON.stringify({ type: 'lending_events_recorded' }))) as { events: unknown[] }).events;
      const before = await lendingAudit();
      const replay = await submit('lenderB', 'lending:Record', ids.batch, firstBatch.events);
      expect(replay).toEqual({ ...firstBatch.result, replayed: true });
      expect(await lendingAudit()).toEqual(before);
      // the other lenders' view counts the application once
      expect(await submit('lenderA', 'lending:RequestCheck', `${ids.check}-replayed`, SUBJECT, ids.consent)).toMatchObject({ checkId: `${ids.check}-replayed` });
      expect(await evaluate('lenderA', 'lending:GetCheckResult', `${ids.check}-replayed`)).toMatchObject({ windows: { '7d': { institutions: 1, applications: 1 } } });
      // other events under the same batch id: a conflict, recorded as a denial
      const other = JSON.stringify([lendingEvent('application', 60_000)]);
      expect(await refusal(c.lenderB.submit('lending:Record', [ids.batch, other]))).toMatchObject({ code: 'CC_CONFLICT', recorded: true });
      // the same id is another lender's own batch
      expect(await submit('lenderA', 'lending:Record', ids.batch, other)).toMatchObject({ batchId: ids.batch, replayed: false });
    });

    it('answers a multi-lending check with every v1.1 field, and a retried check id with the first check, recording nothing', async () => {
      const checkId = `${ids.check}-v11`;
      const first = await c.lenderA.submit('lending:RequestCheck', [checkId, SUBJECT, ids.consent]);
      expect(JSON.parse(first.result)).toEqual({ checkId, requestedAt: expect.any(String), purpose: 'pre_loan', txId: first.txId, replayed: false });
      const result = await evaluate('lenderA', 'lending:GetCheckResult', checkId);
      // so far: lenderB applied an hour ago, lenderA (the asker) a minute ago
      const window = { institutions: 1, applications: 1, loans: 0, rejections: 0, byLenderType: { bank: { institutions: 0, applications: 0 }, microlender: { institutions: 1, applications: 1 }, guarantor: { institutions: 0, applications: 0 }, other: { institutions: 0, applications: 0 } } };
      expect(result).toEqual({
        checkId,
        requestedAt: expect.any(String),
        purpose: 'pre_loan',
        windows: { '7d': window, '15d': window, '30d': window, '90d': window, '180d': window, '365d': window },
        overdueInstitutions: 0,
        overdueInstitutions5y: 0,
        openLoans: 0,
        debt: { lenders: 0, openLoans: 0, outstandingAmount: 0 },
        velocity: { daysSinceLastApplication: 0, daysSinceFirstApplication: 0, monthsWithApplications12m: 1, maxApplicationsIn24h: 1 },
        self: { applications365d: 1, openLoans: 0 },
        reasons: [],
        alert: false,
        disputed: 0,
      });
      const checks = async () => ((await evaluate('regulator', 'audit:Events', JSON.stringify({ type: 'multilending_checked' }))) as { events: unknown[] }).events;
      const before = await checks();
      const again = await c.lenderA.submit('lending:RequestCheck', [checkId, SUBJECT, ids.consent]);
      expect(JSON.parse(again.result)).toEqual({ ...(JSON.parse(first.result) as object), replayed: true });
      expect(await checks()).toEqual(before);
      expect(await evaluate('lenderA', 'lending:GetCheckResult', checkId)).toEqual(result);
      // the id used by another lender, or for another consent: a conflict, recorded
      expect(await refusal(c.lenderB.submit('lending:RequestCheck', [checkId, SUBJECT, ids.consent]))).toMatchObject({ code: 'CC_CONFLICT', recorded: true });
      expect(await refusal(c.lenderA.submit('lending:RequestCheck', [checkId, SUBJECT, `${ids.consent}-other`]))).toMatchObject({ code: 'CC_CONFLICT', recorded: true });
    });

    it("refuses lending events outside the lender's own lifecycle with the subject, and dates out of range", async () => {
      // lenderB has an open application with the subject but never lent: no overdue, repayment or settlement
      for (const type of ['overdue', 'repayment', 'settled']) {
        const err = await refusal(c.lenderB.submit('lending:Record', [`${ids.batch}-${type}`, JSON.stringify([lendingEvent(type, 60_000)])]));
        expect(err, type).toMatchObject({ code: 'CC_LENDING_SEQUENCE', recorded: true });
      }
      // the whole batch is refused when one event does not follow
      const mixed = JSON.stringify([lendingEvent('loan', 120_000), lendingEvent('overdue', 60_000), lendingEvent('settled', 30_000), lendingEvent('settled', 10_000)]);
      expect(await refusal(c.lenderB.submit('lending:Record', [`${ids.batch}-mixed`, mixed]))).toMatchObject({ code: 'CC_LENDING_SEQUENCE', recorded: true });
      expect(await submit('lenderB', 'lending:Record', `${ids.batch}-loan`, JSON.stringify([lendingEvent('loan', 120_000), lendingEvent('overdue', 60_000)]))).toMatchObject({ accepted: 2 });
      // its one application became that loan: no second loan, no rejection without a new application
      for (const type of ['loan', 'rejected']) {
        expect(await refusal(c.lenderB.submit('lending:Record', [`${ids.batch}-2nd-${type}`, JSON.stringify([lendingEvent(type, 30_000)])])), type).toMatchObject({ code: 'CC_LENDING_SEQUENCE', recorded: true });
      }
      for (const occurredAt of ['0001-01-01T00:00:00Z', new Date(Date.now() - 11 * 365 * 86_400_000).toISOString(), new Date(Date.now() + 3_600_000).toISOString()]) {
        const err = await refusal(c.lenderB.submit('lending:Record', [`${ids.batch}-date`, JSON.stringify([{ subjectToken: SUBJECT, type: 'application', occurredAt }])]));
        expect(err, occurredAt).toMatchObject({ code: 'CC_BAD_REQUEST' });
      }
    });

    it('commits a denial the regulator sees in the audit trail and as an event', async () => {
      const start = await c.regulator.getHeight();
      const err = await c.provider.submit('lending:Record', [`${ids.batch}-provider`, JSON.stringify([{ subjectToken: SUBJECT, type: 'loan', occurredAt: new Date().toISOString() }])]).catch((e: unknown) => e);
      expect(isCodedError(err, 'CC_FORBIDDEN')).toBe(true);
      const { txId, recorded, blockNumber } = err as { txId: string; recorded: boolean; blockNumber: bigint };
      expect(recorded).toBe(true);
      await caughtUp('regulator', blockNumber);
      const audit = (await evaluate('regulator', 'audit:Events', JSON.stringify({ type: 'denied' }))) as { events: { txId: string; institution: string }[] };
      expect(audit.events).toEqual(expect.arrayContaining([expect.objectContaining({ txId, institution: 'provider' })]));
      const events = await c.regulator.chaincodeEvents({ startBlock: start });
      let denied: ChaincodeEvent | undefined;
      for await (const e of events) if (e.transactionId === txId) { denied = e; break; }
      events.close();
      expect(denied).toMatchObject({ eventName: 'denied', blockNumber });
      await expect(c.lenderA.evaluate('audit:Events', ['{}'])).rejects.toMatchObject({ name: 'ChaincodeError' });
    });

    it('indexes audit records under every party and their subject, newest first on request, with per-bucket stats', async () => {
      type Page = { events: { txId: string; type: string; institution: string; at: string; parties: string[]; subjectToken?: string }[]; cursor?: string };
      const events = async (query: Record<string, unknown>) => (await evaluate('regulator', 'audit:Events', JSON.stringify({ limit: 1000, ...query }))) as Page;
      // lenderA agreed the contract; the provider is a party to it and finds it under its own name
      const byProvider = await events({ institution: 'provider' });
      expect(byProvider.events).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'contract_agreed', institution: 'lenderA', contractId: ids.contract })]));
      expect(byProvider.events.every((e) => e.parties.includes('provider'))).toBe(true);
      // the grantee finds the consent it did not submit itself under its name too
      expect((await events({ institution: 'lenderA', type: 'receipt_recorded' })).events.map((e) => e.institution)).toEqual(['provider']);
      const bySubject = await events({ subject: SUBJECT });
      expect(new Set(bySubject.events.map((e) => e.type))).toEqual(new Set(['subject_registered', 'consent_granted', 'receipt_recorded', 'multilending_checked', 'lending_events_recorded']));
      expect(bySubject.events.every((e) => e.subjectToken === SUBJECT)).toBe(true);
      expect((await events({ subject: `0x${'ef'.repeat(32)}` })).events).toEqual([]);
      // newest first is the same records reversed, and pages the same way
      const asc = await events({});
      const desc = await events({ order: 'desc' });
      // (records of one millisecond keep their txId order in both)
      expect(desc.events.map((e) => e.at)).toEqual(asc.events.map((e) => e.at).reverse());
      expect(new Set(desc.events.map((e) => e.txId))).toEqual(new Set(asc.events.map((e) => e.txId)));
      const firstPage = await events({ order: 'desc', limit: 2 });
      expect(firstPage.events).toEqual(desc.events.slice(0, 2));
      expect((await events({ order: 'desc', limit: 2, cursor: firstPage.cursor })).events).toEqual(desc.events.slice(2, 4));
      const from = asc.events[0]!.at;
      const to = new Date(Date.parse(asc.events.at(-1)!.at) + 1).toISOString();
      const stats = (await evaluate('regulator', 'audit:Stats', JSON.stringify({ from, to, bucket: 'hour' }))) as { buckets: { start: string; type: string; institution: string; count: number }[] };
      expect(stats.buckets.reduce((n, b) => n + b.count, 0)).toBe(asc.events.length);
      const admitted = stats.buckets.filter((b) => b.type === 'institution_admitted').reduce((n, b) => n + b.count, 0);
      expect(admitted).toBe(asc.events.filter((e) => e.type === 'institution_admitted').length);
      expect(stats.buckets.every((b) => b.start.endsWith(':00:00.000Z'))).toBe(true);
      expect(await refusal(c.regulator.evaluate('audit:Stats', [JSON.stringify({ from, to: new Date(Date.parse(from) + 32 * 86_400_000).toISOString(), bucket: 'hour' })]))).toMatchObject({ code: 'CC_BAD_REQUEST' });
      expect(await refusal(c.lenderA.evaluate('audit:Stats', [JSON.stringify({ from, to, bucket: 'day' })]))).toMatchObject({ code: 'CC_FORBIDDEN' });
    });

    it("records a member's off-ledger refusals of others, one denial each, for the regulator", async () => {
      const refusals = [
        { action: 'POST /v1/products', code: 'FORBIDDEN', message: 'role provider required', requester: 'lenderA' },
        { action: 'transfer', code: 'CONN_CONSENT_INVALID', message: 'consent revoked', requester: 'lenderB' },
      ];
      const { recorded, txId } = await submit('exchange', 'audit:RecordRefusals', JSON.stringify(refusals));
      expect(recorded).toBe(2);
      const denied = (await evaluate('regulator', 'audit:Events', JSON.stringify({ type: 'denied', order: 'desc', limit: 2 }))) as { events: Record<string, unknown>[] };
      expect(denied.events.map((e) => [e.txId, e.institution, e.action, e.recordedBy])).toEqual([
        [txId, 'lenderB', 'transfer', 'exchange'],
        [txId, 'lenderA', 'POST /v1/products', 'exchange'],
      ]);
      expect(await refusal(c.exchange.submit('audit:RecordRefusal', [JSON.stringify(refusals[0])]))).toBeDefined();
    });

    it('versions a product with its schema hash; only the listing exchange withdraws a listing', async () => {
      expect(await submit('provider', 'products:UpdateVersion', 'score-1', '1.1.0', HASH2)).toMatchObject({ modelVersion: '1.1.0', outputSchemaHash: HASH2 });
      expect(await submit('provider', 'products:UpdateVersion', 'score-1', '1.2.0', '')).toMatchObject({ modelVersion: '1.2.0', outputSchemaHash: HASH2 });
      expect(await refusal(c.provider.submit('products:Unlist', ['score-1']))).toMatchObject({ code: 'CC_FORBIDDEN', recorded: true });
      const unlisted = await submit('exchange', 'products:Unlist', 'score-1');
      expect(unlisted.listing).toBeUndefined();
      expect(await refusal(c.exchange.submit('products:Unlist', ['score-1']))).toMatchObject({ code: 'CC_INVALID_STATE', recorded: true });
      // the certificate number is free again
      expect(await submit('exchange', 'products:ListOnExchange', 'score-1', 'SZDE-2025-0001')).toMatchObject({ listing: { certificateNo: 'SZDE-2025-0001' } });
    });

    it('ends the contracts of a delisted product: no release under them', async () => {
      await submit('lenderA', 'contracts:Agree', ...(await agreeArgs(agreementFor(ids.contract2, 'score-2'))));
      await submit('provider', 'products:Delist', 'score-2');
      expect(await evaluate('lenderA', 'contracts:Get', ids.contract2)).toMatchObject({ status: 'terminated', terminationReason: 'product delisted' });
      const receipt = await signedReceipt(`${ids.receipt}-delisted`, ids.contract2, 'score-2');
      expect(await refusal(c.provider.submit('receipts:Record', [JSON.stringify(receipt)]))).toMatchObject({ code: 'CC_PRODUCT_INACTIVE', recorded: true });
      expect(await evaluate('regulator', 'consents:Check', ids.consent, 'lenderA', 'score-2', 'pre_loan', new Date().toISOString())).toEqual({ valid: false, code: 'CC_PRODUCT_INACTIVE' });
    });

    it("makes a suspended provider's products inactive everywhere until it is reinstated", async () => {
      await submit('regulator', 'institutions:Suspend', 'provider', 'scenario');
      expect(await evaluate('lenderA', 'products:Get', 'score-1')).toMatchObject({ status: 'suspended' });
      const listed = (await c.lenderA.evaluate('products:List', []).then((t) => JSON.parse(t))) as { id: string; status: string }[];
      expect(listed.find((p) => p.id === 'check-1')?.status).toBe('suspended');
      expect(listed.find((p) => p.id === 'score-2')?.status).toBe('delisted');
      expect(await refusal(c.lenderA.submit('lending:RequestCheck', [`${ids.check}-suspended`, SUBJECT, ids.consent]))).toMatchObject({ code: 'CC_PRODUCT_INACTIVE', recorded: true });
      expect(await refusal(c.lenderA.submit('contracts:Agree', await agreeArgs(agreementFor(`${ids.contract2}-s`, 'score-1'))))).toMatchObject({ code: 'CC_PRODUCT_INACTIVE', recorded: true });
      expect(await evaluate('regulator', 'consents:Check', ids.consent, 'lenderA', 'score-1', 'pre_loan', new Date().toISOString())).toEqual({ valid: false, code: 'CC_PRODUCT_INACTIVE' });
      const consent = { consentId: `${ids.consent}-suspended`, subjectToken: SUBJECT, grantee: 'lenderA', products: ['score-1'], purpose: 'pre_loan', validUntil: now() + 86_400, issuedAt: now() - 60 };
      const ct = consentTypedData(consent);
      const consentArgs = [JSON.stringify(consent), await subjectWallet.signTypedData(ct.domain, ct.types, ct.message)];
      expect(await refusal(c.lenderA.submit('consents:Grant', consentArgs))).toMatchObject({ code: 'CC_PRODUCT_INACTIVE', recorded: true });
      expect(await refusal(c.exchange.submit('products:ListOnExchange', ['check-1', `SZDE-${run}`]))).toMatchObject({ code: 'CC_PRODUCT_INACTIVE', recorded: true });
      // the suspended member itself can neither release, nor announce an endpoint, nor record refusals
      const receipt = await signedReceipt(`${ids.receipt}-suspended`, ids.contract, 'score-1');
      expect(await refusal(c.provider.submit('receipts:Record', [JSON.stringify(receipt)]))).toMatchObject({ code: 'CC_INSTITUTION_SUSPENDED', recorded: true });
      expect(await refusal(c.provider.submit('institutions:UpdateEndpoint', ['peer-provider', '[]']))).toMatchObject({ code: 'CC_INSTITUTION_SUSPENDED', recorded: true });
      expect(await refusal(c.provider.submit('audit:RecordRefusals', [JSON.stringify([{ action: 'x', code: 'X', message: 'm', requester: 'lenderA' }])]))).toMatchObject({ code: 'CC_INSTITUTION_SUSPENDED', recorded: true });
      await submit('regulator', 'institutions:Reinstate', 'provider', 'scenario');
      expect(await evaluate('lenderA', 'products:Get', 'score-1')).toMatchObject({ status: 'active' });
      expect(await submit('lenderA', 'lending:RequestCheck', `${ids.check}-reinstated`, SUBJECT, ids.consent)).toMatchObject({ checkId: `${ids.check}-reinstated` });
    });

    it('revokes the consent with the subject\'s signature; later checks are refused', async () => {
      const rt = revocationTypedData({ consentId: ids.consent, subjectToken: SUBJECT });
      await submit('lenderA', 'consents:Revoke', ids.consent, await subjectWallet.signTypedData(rt.domain, rt.types, rt.message));
      const refused = await c.lenderA.submit('lending:RequestCheck', [`${ids.check}-2`, SUBJECT, ids.consent]).catch((e: unknown) => e);
      expect(refused).toMatchObject({ name: 'ChaincodeError', code: 'CC_CONSENT_REVOKED', recorded: true });
      // a release made before the revocation, under a contract ended since, still verifies
      await submit('lenderA', 'contracts:Terminate', ids.contract, 'scenario over');
      expect(await evaluate('lenderB', 'receipts:Verify', JSON.stringify(recordedReceipt))).toEqual({ ledger: true, contract: true, consent: true });
      expect((await c.regulator.checkIntegrity()).ok).toBe(true);
    });

    it('records a fraud-ring check under a consent for a ring product, readable by its requester and the provider only', async () => {
      await submit('provider', 'products:Publish', JSON.stringify({ id: `ring-${run}`, name: 'ring', kind: 'ring', classification: 2, policy: { purposes: ['pre_loan', 'in_loan'] }, outputSchemaHash: HASH, modelVersion: '1.0.0' }));
      const consent = { consentId: `${ids.consent}-ring`, subjectToken: SUBJECT, grantee: 'lenderA', products: [`ring-${run}`], purpose: 'in_loan', validUntil: now() + 86_400, issuedAt: now() - 60 };
      const ct = consentTypedData(consent);
      await submit('lenderA', 'consents:Grant', JSON.stringify(consent), await subjectWallet.signTypedData(ct.domain, ct.types, ct.message));
      const checkId = `${ids.check}-ring`;
      expect(await submit('lenderA', 'fraud-rings:RequestCheck', checkId, SUBJECT, consent.consentId)).toMatchObject({ checkId, productId: `ring-${run}`, provider: 'provider' });
      for (const reader of ['lenderA', 'provider', 'regulator'] as const) {
        expect(await evaluate(reader, 'fraud-rings:GetCheck', checkId)).toMatchObject({ checkId, requester: 'lenderA', purpose: 'in_loan' });
      }
      expect(await refusal(c.lenderB.evaluate('fraud-rings:GetCheck', [checkId]))).toMatchObject({ code: 'CC_NOT_FOUND' });
      expect(await refusal(c.lenderA.submit('fraud-rings:RequestCheck', [`${checkId}-2`, SUBJECT, ids.consent]))).toMatchObject({ code: 'CC_CONSENT_REVOKED', recorded: true });
    });
  });
}
