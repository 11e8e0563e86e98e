import { join } from 'node:path';
import type { UsageContract } from '@xinlian/chaincode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector } from '../../src/connector.js';
import { verifyProvenance } from '../../src/exchange/provenance.js';
import { Protocols } from '../../src/p2p/index.js';
import { refusalsRecordedFor } from './support/audit.js';
import { LENDER_A, LENDER_B, PRODUCTS, PROVIDER, TestConsortium } from './support/consortium.js';
import { startRawRequester } from './support/raw-requester.js';

/** The refusal a promise ends with, as the caller sees it (code, rule, message). */
async function refusal(p: Promise<unknown>): Promise<{ name?: string; code?: string; rule?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; rule?: string; message: string };
  }
  throw new Error('expected a refusal');
}

describe('every refusal path of the provider, each recorded on the ledger', () => {
  let c: TestConsortium;
  let contract: UsageContract;
  let consentId: string;

  const negotiate = (who: Connector, productId: string, purpose = 'pre_loan', validUntil?: Date) =>
    who.consumer.negotiate({ productId, purpose, ...(validUntil ? { validUntil } : {}) });
  const report = (contractId: string, consent: string, subject = 0, who: Connector = c.lenderA) =>
    who.consumer.requestReport({ contractId, consentId: consent, subjectToken: c.subjects[subject]!.token });
  /** Refusals the provider recorded about `requester` that were not there at the last call. */
  const seen = new Set<string>();
  const newlyRecorded = async (requester: string) => {
    const fresh = (await refusalsRecordedFor(c, requester)).filter((r) => !seen.has(r.txId));
    for (const r of fresh) seen.add(r.txId);
    return fresh;
  };
  const lastRecorded = async (requester: string) => {
    const fresh = await newlyRecorded(requester);
    expect(fresh).toHaveLength(1);
    return fresh[0];
  };

  beforeAll(async () => {
    c = await TestConsortium.open();
    contract = await negotiate(c.lenderA, PRODUCTS.score.id);
    consentId = await c.grantConsent({ subject: c.subjects[0]!, grantee: LENDER_A, products: [PRODUCTS.score.id] });
    for (const who of ['exchange', LENDER_A, LENDER_B]) await newlyRecorded(who);
  });
  afterAll(async () => c?.close());

  it('denies a prohibited consumer at negotiation, naming the prohibition', async () => {
    const e = await refusal(negotiate(c.get('exchange'), PRODUCTS.score.id));
    expect(e).toMatchObject({ code: 'CONN_POLICY_PROHIBITED', rule: `${PRODUCTS.score.id}:no-exchange-use` });
    expect(await lastRecorded('exchange')).toMatchObject({ code: 'CONN_POLICY_PROHIBITED', action: 'negotiation', recordedBy: PROVIDER });
    const [record] = await c.get('exchange').store.negotiations.listByState('denied');
    expect(record?.data).toMatchObject({ refusal: { code: 'CONN_POLICY_PROHIBITED' } });
  });

  it('denies an institution the policy does not list, naming the permission', async () => {
    const e = await refusal(negotiate(c.lenderB, PRODUCTS.onlyA.id));
    expect(e).toMatchObject({ code: 'CONN_POLICY_INSTITUTION', rule: `${PRODUCTS.onlyA.id}:use` });
    expect(await lastRecorded(LENDER_B)).toMatchObject({ code: 'CONN_POLICY_INSTITUTION' });
  });

  it('denies a contract for a purpose the product does not allow', async () => {
    const e = await refusal(negotiate(c.lenderA, PRODUCTS.preLoan.id, 'post_loan'));
    expect(e.code).toBe('CONN_POLICY_PURPOSE');
    expect(e.rule).toBeTruthy();
    expect(await lastRecorded(LENDER_A)).toMatchObject({ code: 'CONN_POLICY_PURPOSE', action: 'negotiation' });
  });

  it('refuses a transfer under a consent given for another purpose', async () => {
    const inLoan = await c.grantConsent({ subject: c.subjects[0]!, grantee: LENDER_A, products: [PRODUCTS.score.id], purpose: 'in_loan' });
    const e = await refusal(report(contract.contractId, inLoan));
    expect(e).toMatchObject({ code: 'CONN_CONSENT_INVALID' });
    expect(e.message).toContain('CC_CONSENT_PURPOSE_MISMATCH');
    expect(await lastRecorded(LENDER_A)).toMatchObject({ code: 'CONN_CONSENT_INVALID', action: 'transfer' });
  });

  it("refuses a transfer under another consumer's contract", async () => {
    // lender-b's own connector would not send it; a raw requester with lender-b's keys does.
    const raw = await startRawRequester({ institutionId: LENDER_B, provider: c.provider, keysDir: join(c.dir, 'institutions', LENDER_B, 'keys') });
    try {
      const answer = await raw.ask(Protocols.TRANSFER, {
        requestId: 'req-foreign',
        contractId: contract.contractId,
        consentId,
        subjectToken: c.subjects[0]!.token,
      });
      expect(answer).toMatchObject({ status: 'DENIED', code: 'CONN_CONTRACT_INVALID' });
      expect((answer as { message: string }).message).toContain('another consumer');
    } finally {
      await raw.stop();
    }
    expect(await lastRecorded(LENDER_B)).toMatchObject({ code: 'CONN_CONTRACT_INVALID', action: 'transfer' });
  });

  it('refuses a transfer under a terminated contract', async () => {
    const ended = await negotiate(c.lenderA, PRODUCTS.score.id);
    await c.lenderA.ledger.terminateContract(ended.contractId, 'loan repaid');
    const e = await refusal(report(ended.contractId, consentId));
    expect(e.code).toBe('CONN_CONTRACT_INVALID');
    expect(e.message).toContain('terminated');
    expect(await lastRecorded(LENDER_A)).toMatchObject({ code: 'CONN_CONTRACT_INVALID', action: 'transfer' });
  });

  it('refuses a transfer under an expired contract', async () => {
    const short = await negotiate(c.lenderA, PRODUCTS.score.id, 'pre_loan', new Date(c.clock.now().getTime() + 3_600_000));
    c.clock.offsetMs = 2 * 3_600_000;
    try {
      const e = await refusal(report(short.contractId, consentId));
      expect(e.code).toBe('CONN_CONTRACT_INVALID');
      expect(e.message).toMatch(/expired/);
    } finally {
      c.clock.offsetMs = 0;
    }
    expect(await lastRecorded(LENDER_A)).toMatchObject({ code: 'CONN_CONTRACT_INVALID' });
  });

  it('refuses a consent granted to another institution', async () => {
    const toB = await c.grantConsent({ subject: c.subjects[0]!, grantee: LENDER_B, products: [PRODUCTS.score.id] });
    const e = await refusal(report(contract.contractId, toB));
    expect(e.code).toBe('CONN_CONSENT_INVALID');
    expect(e.message).toContain('CC_CONSENT_GRANTEE_MISMATCH');
    expect(await lastRecorded(LENDER_A)).toMatchObject({ code: 'CONN_CONSENT_INVALID' });
  });

  it('refuses a consent for another product', async () => {
    const other = await c.grantConsent({ subject: c.subjects[0]!, grantee: LENDER_A, products: [PRODUCTS.other.id] });
    const e = await refusal(report(contract.contractId, other));
    expect(e.code).toBe('CONN_CONSENT_INVALID');
    expect(e.message).toContain('CC_CONSENT_PRODUCT_MISMATCH');
    expect(await lastRecorded(LENDER_A)).toMatchObject({ code: 'CONN_CONSENT_INVALID' });
  });

  it('refuses a consent of another subject', async () => {
    const e = await refusal(report(contract.contractId, consentId, 1));
    expect(e.code).toBe('CONN_CONSENT_INVALID');
    expect(e.message).toContain('CC_CONSENT_SUBJECT_MISMATCH');
    expect(await lastRecorded(LENDER_A)).toMatchObject({ code: 'CONN_CONSENT_INVALID' });
  });

  it('answers NOT_FOUND for a subject it holds no data on, and records it', async () => {
    const unknown = c.subjects.findIndex((s) => s.record === undefined);
    const consent = await c.grantConsent({ subject: c.subjects[unknown]!, grantee: LENDER_A, products: [PRODUCTS.score.id] });
    const e = await refusal(report(contract.contractId, consent, unknown));
    expect(e.code).toBe('CONN_SUBJECT_UNKNOWN');
    expect(await lastRecorded(LENDER_A)).toMatchObject({ code: 'CONN_SUBJECT_UNKNOWN' });
  });

  it('stops transfers at once when the enterprise revokes its consent on the ledger', async () => {
    const consent = await c.grantConsent({ subject: c.subjects[2]!, grantee: LENDER_A, products: [PRODUCTS.score.id] });
    const before = await report(contract.contractId, consent, 2);
    await c.revokeConsent(c.subjects[2]!, consent);
    const e = await refusal(report(contract.contractId, consent, 2));
    expect(e.code).toBe('CONN_CONSENT_INVALID');
    expect(e.message).toContain('CC_CONSENT_REVOKED');
    expect(await lastRecorded(LENDER_A)).toMatchObject({ code: 'CONN_CONSENT_INVALID' });
    // What was delivered before the revocation still verifies.
    const verdict = await verifyProvenance(c.lenderA.ledger, before.report as unknown as Record<string, unknown>, before.receipt);
    expect(verdict.valid).toBe(true);
  });

  it('refuses the use after the last one a contract allows, naming the rule', async () => {
    const capped = await negotiate(c.lenderA, PRODUCTS.capped.id);
    const consent = await c.grantConsent({ subject: c.subjects[0]!, grantee: LENDER_A, products: [PRODUCTS.capped.id] });
    await report(capped.contractId, consent);
    await report(capped.contractId, consent);
    const e = await refusal(report(capped.contractId, consent));
    expect(e).toMatchObject({ code: 'CONN_POLICY_MAX_USES', rule: `${PRODUCTS.capped.id}:use` });
    expect(await lastRecorded(LENDER_A)).toMatchObject({ code: 'CONN_POLICY_MAX_USES' });
  });

  it('refuses a use over the rate limit, naming the rule', async () => {
    const rated = await negotiate(c.lenderA, PRODUCTS.rate.id);
    const consent = await c.grantConsent({ subject: c.subjects[0]!, grantee: LENDER_A, products: [PRODUCTS.rate.id] });
    await report(rated.contractId, consent);
    await report(rated.contractId, consent);
    const e = await refusal(report(rated.contractId, consent));
    expect(e).toMatchObject({ code: 'CONN_POLICY_RATE_LIMIT', rule: `${PRODUCTS.rate.id}:use` });
    expect(await lastRecorded(LENDER_A)).toMatchObject({ code: 'CONN_POLICY_RATE_LIMIT' });
  });

  it("refuses a suspended institution's peer, and records it once however often it calls", async () => {
    const forB = await negotiate(c.lenderB, PRODUCTS.score.id);
    const consent = await c.grantConsent({ subject: c.subjects[0]!, grantee: LENDER_B, products: [PRODUCTS.score.id] });
    await report(forB.contractId, consent, 0, c.lenderB);
    await c.stop(LENDER_B);
    await c.regulator.ledger.suspend(LENDER_B, 'licence under review');
    const raw = await startRawRequester({ institutionId: LENDER_B, provider: c.provider, keysDir: join(c.dir, 'institutions', LENDER_B, 'keys') });
    try {
      const body = { contractId: forB.contractId, consentId: consent, subjectToken: c.subjects[0]!.token };
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await raw.ask(Protocols.TRANSFER, { ...body, requestId: `req-suspended-${i}` }));
      for (const a of answers) expect(a).toMatchObject({ status: 'DENIED', code: 'CONN_PEER_UNAUTHORIZED' });
    } finally {
      await raw.stop();
    }
    const records = (await newlyRecorded(LENDER_B)).filter((r) => r['action'] === 'p2p:connect');
    expect(records.length).toBeGreaterThanOrEqual(1);
    expect(records.length).toBeLessThanOrEqual(2); // one per minute; the calls may straddle a minute
    expect(records[0]).toMatchObject({ code: 'CONN_PEER_UNAUTHORIZED' });
  });
});
