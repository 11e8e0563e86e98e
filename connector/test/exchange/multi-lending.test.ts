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
    await c.lenderB.lending.record([
      { uscc, type: 'application', amount: 50_000_00, occurredAt: at(60 * 24 * 3) },
      { uscc, type: 'loan', amount: 50_000_00, occurredAt: at(60 * 24 * 2) },
    ]);
    await c.lenderA.lending.record([{ uscc, type: 'application', amount: 20_000_00, occurredAt: at(5) }]);
    const consentId = await c.grantConsent({ subject: c.subjects[0]!, grantee: LENDER_A, products: [PRODUCTS.check.id] });

    const result = await c.lenderA.lending.check(uscc, consentId);
    expect(result.windows['7d']).toEqual({ institutions: 1, applications: 1 });
    expect(result.openLoans).toBe(1);
    expect(result.alert).toBe(false);
    const checks = await auditRecords(c, 'multilending_checked', LENDER_A);
    expect(checks.map((r) => r['checkId'])).toContain(result.checkId);
    expect(JSON.stringify(result)).not.toContain(LENDER_B);
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
