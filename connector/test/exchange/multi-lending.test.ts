import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRecords } from './support/audit.js';
import { LENDER_A, LENDER_B, PRODUCTS, TestConsortium } from './support/consortium.js';

describe('multi-lending through the connector', () => {
  let c: TestConsortium;

  beforeAll(async () => {
    c = await TestConsortium.open();
  });
  afterAll(async () => c?.close());

  it('blinds a USCC into the subject token: HMAC-SHA256 under the consortium key', () => {
    const { uscc, token } = c.subjects[0]!;
    const expected = `0x${createHmac('sha256', 'test-consortium-key-0123456789abcdef').update(uscc).digest('hex')}`;
    expect(c.lenderA.subjects.tokenOf(uscc)).toBe(expected);
    expect(c.lenderB.subjects.tokenOf(uscc)).toBe(token);
  });

  it("counts other lenders' applications, never the asker's own, in a recorded check", async () => {
    const { uscc } = c.subjects[0]!;
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    await c.lenderB.recordLendingEvents('batch-b-1', [
      { uscc, type: 'application', amount: 50_000_00, occurredAt: at(60 * 24 * 3) },
      { uscc, type: 'loan', amount: 50_000_00, occurredAt: at(60 * 24 * 2) },
    ]);
    await c.lenderA.recordLendingEvents('batch-a-1', [{ uscc, type: 'application', amount: 20_000_00, occurredAt: at(5) }]);
    const consentId = await c.grantConsent({ subject: c.subjects[0]!, grantee: LENDER_A, products: [PRODUCTS.check.id] });

    const result = await c.lenderA.lending.check(uscc, consentId);
    expect(result.windows['7d']).toMatchObject({ institutions: 1, applications: 1, loans: 1, rejections: 0 });
    expect(result.self).toEqual({ applications365d: 1, openLoans: 0 });
    expect(result.debt).toEqual({ lenders: 1, openLoans: 1, outstandingAmount: 50_000_00 });
    expect(result.openLoans).toBe(1);
    expect(result.alert).toBe(false);
    const checks = await auditRecords(c, 'multilending_checked', LENDER_A);
    expect(checks.map((r) => r['checkId'])).toContain(result.checkId);
    expect(JSON.stringify(result)).not.toContain(LENDER_B);
  });

  it('answers a check id again with the first txId and records the check once', async () => {
    const { uscc } = c.subjects[2]!;
    const consentId = await c.grantConsent({ subject: c.subjects[2]!, grantee: LENDER_A, products: [PRODUCTS.check.id] });
    const first = await c.lenderA.lending.check(uscc, consentId, 'idem:check-1');
    const again = await c.lenderA.lending.check(uscc, consentId, 'idem:check-1');
    expect(again).toEqual(first);
    const recorded = (await auditRecords(c, 'multilending_checked', LENDER_A)).filter((r) => r['checkId'] === 'idem:check-1');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ txId: first.txId, purpose: 'pre_loan' });
  });

  it('records a batch once: the same batch id again answers the first result and counts nothing', async () => {
    const { uscc } = c.subjects[2]!;
    const events = [{ uscc, type: 'application' as const, amount: 10_000_00, occurredAt: new Date(Date.now() - 60_000).toISOString() }];
    const first = await c.lenderB.recordLendingEvents('idem:replay-1', events);
    const again = await c.lenderB.recordLendingEvents('idem:replay-1', events);
    expect(first).toMatchObject({ accepted: 1, batchId: 'idem:replay-1', replayed: false });
    expect(again).toEqual({ ...first, replayed: true });
    const recorded = (await auditRecords(c, 'lending_events_recorded', LENDER_B)).filter((r) => r['batchId'] === 'idem:replay-1');
    expect(recorded).toHaveLength(1);
    await expect(c.lenderB.recordLendingEvents('idem:replay-1', [{ ...events[0]!, amount: 1 }])).rejects.toMatchObject({ code: 'CC_CONFLICT' });
  });

  it('refuses a check without a consent, and the chaincode records the refusal', async () => {
    await expect(c.lenderA.lending.check(c.subjects[1]!.uscc, 'cst-none')).rejects.toMatchObject({
      name: 'ChaincodeError',
      code: 'CC_CONSENT_NOT_FOUND',
      recorded: true,
    });
    const denied = await auditRecords(c, 'denied', LENDER_A);
    expect(denied.some((r) => r['code'] === 'CC_CONSENT_NOT_FOUND' && r['action'] === 'lending:RequestCheck')).toBe(true);
  });

  it('puts no USCC on the ledger', async () => {
    const text = JSON.stringify(await auditRecords(c, 'lending_events_recorded')) + JSON.stringify(await auditRecords(c, 'multilending_checked'));
    expect(text.length).toBeGreaterThan(100);
    for (const s of c.subjects) expect(text).not.toContain(s.uscc);
  });
});
