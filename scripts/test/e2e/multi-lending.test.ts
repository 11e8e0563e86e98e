/**
 * Multi-lending v1.1 over the real gateway port: every window (7, 15, 30, 90, 180, 365 days)
 * with loans, rejections and lender types, debt, velocity, self and reasons, against counts
 * worked out by hand from events the demo lenders post, and against the synthetic data's
 * ground truth for a planted multi-borrower; checks under any lending purpose; a check
 * retried with the same Idempotency-Key is recorded once.
 */
import { createHash } from 'node:crypto';
import type { EnterpriseRecord } from '@xinlian/connector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INSTITUTIONS } from '../../src/demo/plan.js';
import { startE2E, type E2E } from './harness.js';
import { CHECK_PRODUCT, DAY_MS, grantConsent, groundTruth } from './flows.js';

const CHECKER = 'microloan-a';
const LENDER_TYPE = new Map(DEMO_INSTITUTIONS.map((p) => [p.id, p.roles.includes('bank') ? 'bank' : p.roles.includes('microlender') ? 'microlender' : p.roles.includes('guarantor') ? 'guarantor' : 'other']));
const INSTITUTION_OF = new Map(DEMO_INSTITUTIONS.filter((p) => p.syntheticLender).map((p) => [p.syntheticLender!, p.id]));
const WINDOWS = [7, 15, 30, 90, 180, 365] as const;
const TYPES = ['bank', 'microlender', 'guarantor', 'other'] as const;

interface Count {
  institutions: number;
  applications: number;
}
interface Window extends Count {
  loans: number;
  rejections: number;
  byLenderType: Record<(typeof TYPES)[number], Count>;
}
interface CheckBody {
  checkId: string;
  txId: string;
  requestedAt: string;
  purpose: string;
  windows: Record<string, Window>;
  [field: string]: unknown;
}

let e2e: E2E;
let fresh: EnterpriseRecord[];
let multiBorrower: EnterpriseRecord;

beforeAll(async () => {
  e2e = await startE2E();
  const truth = await groundTruth(e2e);
  const registered = new Set(e2e.credentials.subjects.map((s) => s.uscc));
  const candidates = [...truth.values()].filter((t) => registered.has(t.record.uscc));
  fresh = candidates.filter((t) => !t.truth.multiBorrower && !t.truth.ringId && t.record.lending.length === 0).map((t) => t.record);
  multiBorrower = candidates.filter((t) => t.truth.multiBorrower).map((t) => t.record)[0]!;
});
afterAll(async () => {
  await e2e?.close();
});

async function consent(uscc: string, purpose = 'pre_loan'): Promise<string> {
  return (await grantConsent(e2e, { as: CHECKER, uscc, wallet: e2e.subjectWallet(uscc), products: [CHECK_PRODUCT], purpose })).consentId;
}

async function check(uscc: string, consentId: string, headers: Record<string, string> = {}) {
  const res = await e2e.call<CheckBody>('/v1/multi-lending/check', { as: CHECKER, body: { uscc, consentId }, headers });
  expect(res.status, res.text).toBe(200);
  return res;
}

describe('multi-lending v1.1 over the real port', () => {
  it('answers every window, debt, velocity, self and reasons as worked out by hand', async () => {
    const uscc = fresh[0]!.uscc;
    const t0 = Date.now();
    const ago = (days: number) => new Date(t0 - days * DAY_MS).toISOString();
    const post = async (as: string, events: { type: string; days: number; amount?: number }[]) => {
      const res = await e2e.call('/v1/lending-events', { as, body: { events: events.map((e) => ({ uscc, type: e.type, occurredAt: ago(e.days), ...(e.amount !== undefined ? { amount: e.amount } : {}) })) } });
      expect(res.status, res.text).toBe(201);
    };
    await post('microloan-b', [{ type: 'application', days: 12 }, { type: 'rejected', days: 12 }, { type: 'application', days: 1 }, { type: 'loan', days: 1, amount: 300_000 }]);
    // two applications two hours apart, a loan, an overdue three days ago
    await post('microloan-c', [{ type: 'application', days: 25 }, { type: 'application', days: 25 - 2 / 24 }, { type: 'loan', days: 20, amount: 500_000 }, { type: 'overdue', days: 3 }]);
    await post('bank-a', [{ type: 'application', days: 100 }, { type: 'loan', days: 100, amount: 1_000_000 }, { type: 'repayment', days: 50, amount: 400_000 }]);
    await post('guarantor', [{ type: 'application', days: 300 }]);
    // the checker's own: apart, under self
    await post(CHECKER, [{ type: 'application', days: 2 }, { type: 'loan', days: 2, amount: 10_000 }]);

    const res = await check(uscc, await consent(uscc));
    const none = { institutions: 0, applications: 0 };
    const w = (institutions: number, applications: number, loans: number, rejections: number, byLenderType: Partial<Window['byLenderType']>): Window => ({
      institutions,
      applications,
      loans,
      rejections,
      byLenderType: { bank: none, microlender: none, guarantor: none, other: none, ...byLenderType },
    });
    expect(res.body).toEqual({
      checkId: expect.any(String),
      txId: expect.stringMatching(/^[0-9a-f]{64}$/),
      requestedAt: expect.any(String),
      purpose: 'pre_loan',
      windows: {
        '7d': w(1, 1, 1, 0, { microlender: { institutions: 1, applications: 1 } }),
        '15d': w(1, 2, 1, 1, { microlender: { institutions: 1, applications: 2 } }),
        '30d': w(2, 4, 2, 1, { microlender: { institutions: 2, applications: 4 } }),
        '90d': w(2, 4, 2, 1, { microlender: { institutions: 2, applications: 4 } }),
        '180d': w(3, 5, 3, 1, { microlender: { institutions: 2, applications: 4 }, bank: { institutions: 1, applications: 1 } }),
        '365d': w(4, 6, 3, 1, { microlender: { institutions: 2, applications: 4 }, bank: { institutions: 1, applications: 1 }, guarantor: { institutions: 1, applications: 1 } }),
      },
      overdueInstitutions: 1,
      overdueInstitutions5y: 1,
      openLoans: 3,
      debt: { lenders: 3, openLoans: 3, outstandingAmount: 300_000 + 500_000 + 600_000 },
      velocity: { daysSinceLastApplication: 1, daysSinceFirstApplication: 300, monthsWithApplications12m: 3, maxApplicationsIn24h: 2 },
      self: { applications365d: 1, openLoans: 1 },
      reasons: ['OVERDUE_OTHER_90D'],
      alert: true,
      disputed: 0,
    });
    for (const id of ['microloan-b', 'microloan-c', 'bank-a', ':"guarantor"']) expect(res.text).not.toContain(id);
  });

  it("matches the synthetic ground truth in every window for a planted multi-borrower", async () => {
    const res = await check(multiBorrower.uscc, await consent(multiBorrower.uscc));
    const at = Date.parse(res.body.requestedAt);
    const others = multiBorrower.lending
      .map((e) => ({ type: e.type as string, institution: INSTITUTION_OF.get(e.lenderId)!, t: Date.parse(e.occurredAt) }))
      .filter((e) => e.institution !== CHECKER && e.t <= at);
    for (const days of WINDOWS) {
      const inside = others.filter((e) => e.t > at - days * DAY_MS);
      const apps = inside.filter((e) => e.type === 'application');
      const byType = (type: string): Count => {
        const mine = apps.filter((e) => LENDER_TYPE.get(e.institution) === type);
        return { institutions: new Set(mine.map((e) => e.institution)).size, applications: mine.length };
      };
      expect(res.body.windows[`${days}d`], `${days}d`).toEqual({
        institutions: new Set(apps.map((e) => e.institution)).size,
        applications: apps.length,
        loans: inside.filter((e) => e.type === 'loan').length,
        rejections: inside.filter((e) => e.type === 'rejected').length,
        byLenderType: Object.fromEntries(TYPES.map((t) => [t, byType(t)])),
      });
    }
    expect(others.some((e) => e.type === 'application' && e.t > at - 30 * DAY_MS)).toBe(true);
  });

  it('checks under an in_loan, post_loan or guarantee consent and records the purpose', async () => {
    const uscc = fresh[1]!.uscc;
    for (const purpose of ['in_loan', 'post_loan', 'guarantee']) {
      const res = await check(uscc, await consent(uscc, purpose));
      expect(res.body.purpose).toBe(purpose);
      const audit = await e2e.call<{ events: Record<string, unknown>[] }>(`/v1/audit/events?type=multilending_checked&institution=${CHECKER}&order=desc&limit=1`, { as: 'regulator' });
      expect(audit.body.events[0]).toMatchObject({ txId: res.body.txId, purpose });
    }
  });

  it('records a check retried with the same Idempotency-Key once, even when the gateway forgot the key', async () => {
    const uscc = fresh[2]!.uscc;
    const consentId = await consent(uscc);
    const key = `check-${Date.now()}`;
    const first = await check(uscc, consentId, { 'Idempotency-Key': key });
    // the ledger check id is derived from the key: idem: + sha256(institution \n key), 40 hex
    const checkId = `idem:${createHash('sha256').update(`${CHECKER}\n${key}`).digest('hex').slice(0, 40)}`;
    expect(first.body.checkId).toBe(checkId);
    expect((await check(uscc, consentId, { 'Idempotency-Key': key })).body).toEqual(first.body);
    // as after a crash between the commit and the stored answer: the connector asks again with the derived id
    const again = await e2e.consortium.connectors.get(CHECKER)!.lending.check(uscc, consentId, checkId);
    expect(again).toEqual(first.body);
    const audit = await e2e.call<{ events: Record<string, unknown>[] }>(`/v1/audit/events?type=multilending_checked&institution=${CHECKER}&limit=1000`, { as: 'regulator' });
    expect(audit.body.events.filter((e) => e['checkId'] === checkId)).toHaveLength(1);
  });
});
