import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Consortium, OTHER_SUBJECT, SUBJECT, newConsortium, type Member } from '../support/consortium.js';

const DAY = 86_400_000;

describe('lending', () => {
  let c: Consortium;
  beforeEach(async () => {
    c = await newConsortium();
  });

  const iso = (msAgo: number) => new Date(c.ledger.now - msAgo).toISOString();
  const report = (as: Member, events: { type: string; daysAgo: number; subjectToken?: string; amount?: number }[]) =>
    c.submit(as, 'lending:Record', c.nextId('batch'), JSON.stringify(events.map((e) => ({ subjectToken: e.subjectToken ?? SUBJECT, type: e.type, occurredAt: iso(e.daysAgo * DAY), ...(e.amount !== undefined ? { amount: e.amount } : {}) }))));

  async function requestCheck(as: Member = c.m.lenderA): Promise<string> {
    const consent = await c.grant({ grantee: as.id }, as);
    const checkId = c.nextId('check');
    const r = await c.submit(as, 'lending:RequestCheck', checkId, SUBJECT, consent.consentId);
    expect(r).toEqual({ checkId, requestedAt: new Date(c.ledger.now).toISOString(), purpose: 'pre_loan', txId: expect.any(String), replayed: false });
    return checkId;
  }

  it('records a batch, one key per event, attributed to the caller', async () => {
    const r = await report(c.m.lenderB, [{ type: 'application', daysAgo: 1 }, { type: 'loan', daysAgo: 0, amount: 500_000 }]);
    expect(r).toMatchObject({ accepted: 2 });
    expect(c.ledger.events.at(-1)).toMatchObject({ name: 'lending_events_recorded', payload: { count: 2, institution: 'lenderB', batchId: r.batchId } });
    const keys = [...c.ledger.world.state.keys()].filter((k) => k.startsWith(`lending~${SUBJECT}~`));
    expect(keys).toHaveLength(2);
    expect(keys.every((k) => k.includes(r.txId as string))).toBe(true);
  });

  it('refuses non-lenders and throws on a bad batch without writing any of it', async () => {
    await c.expectDenied(c.m.provider, 'CC_FORBIDDEN', 'lending:Record', 'b-1', JSON.stringify([{ subjectToken: SUBJECT, type: 'loan', occurredAt: iso(0) }]));
    const good = { subjectToken: SUBJECT, type: 'loan', occurredAt: iso(0) };
    for (const bad of [[], [good, { ...good, type: 'gift' }], [good, { ...good, subjectToken: '91350100M000100Y43' }], [{ ...good, amount: -5 }], [{ ...good, occurredAt: 'today' }], [{ ...good, occurredAt: iso(-DAY) }], [{ ...good, who: 'x' }]]) {
      await c.expectThrows(c.m.lenderA, 'CC_BAD_REQUEST', 'lending:Record', 'b-2', JSON.stringify(bad));
    }
    await c.expectThrows(c.m.lenderA, 'CC_BAD_REQUEST', 'lending:Record', 'b-3', JSON.stringify(Array.from({ length: 501 }, () => good)));
  });

  it('stores the blinded attributes of an application; refuses them on other types, unknown kinds and non-token values', async () => {
    const token = `0x${'ab'.repeat(32)}`;
    const app = { subjectToken: SUBJECT, type: 'application', occurredAt: iso(0), attributes: { phone: token, bankAccount: `0x${'cd'.repeat(32)}` } };
    const r = await c.submit(c.m.lenderA, 'lending:Record', 'b-attr', JSON.stringify([app]));
    expect(r).toMatchObject({ accepted: 1 });
    const stored = [...c.ledger.world.state.entries()].filter(([k]) => k.startsWith(`lending~${SUBJECT}~`)).map(([, val]) => JSON.parse(Buffer.from(val as Uint8Array).toString('utf8')) as Record<string, unknown>);
    expect(stored).toEqual([expect.objectContaining({ type: 'application', attributes: { phone: token, bankAccount: `0x${'cd'.repeat(32)}` } })]);
    const loan = { subjectToken: SUBJECT, type: 'loan', occurredAt: iso(0) };
    for (const bad of [
      [{ ...loan, attributes: { phone: token } }],
      [{ ...app, attributes: { email: token } }],
      [{ ...app, attributes: { phone: '13800138000' } }],
      [{ ...app, attributes: { phone: token.toUpperCase().replace('0X', '0x') } }],
      [{ ...app, attributes: {} }],
      [{ ...app, attributes: [token] }],
    ]) {
      await c.expectThrows(c.m.lenderA, 'CC_BAD_REQUEST', 'lending:Record', 'b-attr-bad', JSON.stringify(bad));
    }
  });

  it('computes every window, debt, velocity and self over the aggregates, others apart, never naming them', async () => {
    await report(c.m.lenderB, [{ type: 'application', daysAgo: 14 }, { type: 'rejected', daysAgo: 14 }, { type: 'application', daysAgo: 2 }, { type: 'loan', daysAgo: 2, amount: 300_000 }, { type: 'repayment', daysAgo: 1, amount: 100_000 }]);
    await report(c.m.lenderC, [{ type: 'application', daysAgo: 20 }, { type: 'application', daysAgo: 10 }, { type: 'loan', daysAgo: 10, amount: 500_000 }, { type: 'overdue', daysAgo: 5 }]);
    await report(c.m.lenderD, [{ type: 'application', daysAgo: 60 }, { type: 'loan', daysAgo: 60, amount: 200_000 }, { type: 'overdue', daysAgo: 40 }, { type: 'settled', daysAgo: 30 }]);
    await report(c.m.bank, [{ type: 'application', daysAgo: 200 }, { type: 'loan', daysAgo: 200, amount: 1_000_000 }, { type: 'overdue', daysAgo: 120 }]);
    // two applications 1.2 hours apart; one about another subject
    await report(c.m.guarantor, [{ type: 'application', daysAgo: 170 }, { type: 'application', daysAgo: 169.95 }, { type: 'application', daysAgo: 1, subjectToken: OTHER_SUBJECT }]);
    // the requester's own events count only under self
    await report(c.m.lenderA, [{ type: 'application', daysAgo: 0 }, { type: 'application', daysAgo: 3 }, { type: 'loan', daysAgo: 3 }, { type: 'overdue', daysAgo: 1 }]);
    const checkId = await requestCheck();
    c.ledger.advance(60_000);
    const result = await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', checkId);
    const none = { institutions: 0, applications: 0 };
    const micro = (institutions: number, applications: number) => ({ bank: none, microlender: { institutions, applications }, guarantor: none, other: none });
    expect(result).toEqual({
      checkId,
      requestedAt: '2026-01-10T00:00:00.000Z',
      purpose: 'pre_loan',
      windows: {
        '7d': { institutions: 1, applications: 1, loans: 1, rejections: 0, byLenderType: micro(1, 1) },
        '15d': { institutions: 2, applications: 3, loans: 2, rejections: 1, byLenderType: micro(2, 3) },
        '30d': { institutions: 2, applications: 4, loans: 2, rejections: 1, byLenderType: micro(2, 4) },
        '90d': { institutions: 3, applications: 5, loans: 3, rejections: 1, byLenderType: micro(3, 5) },
        '180d': { institutions: 4, applications: 7, loans: 3, rejections: 1, byLenderType: { ...micro(3, 5), guarantor: { institutions: 1, applications: 2 } } },
        '365d': { institutions: 5, applications: 8, loans: 4, rejections: 1, byLenderType: { ...micro(3, 5), guarantor: { institutions: 1, applications: 2 }, bank: { institutions: 1, applications: 1 } } },
      },
      overdueInstitutions: 1,
      overdueInstitutions5y: 3,
      openLoans: 3,
      debt: { lenders: 3, openLoans: 3, outstandingAmount: 200_000 + 500_000 + 1_000_000 },
      velocity: { daysSinceLastApplication: 2, daysSinceFirstApplication: 200, monthsWithApplications12m: 4, maxApplicationsIn24h: 2 },
      self: { applications365d: 2, openLoans: 1 },
      reasons: ['OVERDUE_OTHER_90D'],
      alert: true,
      disputed: 0,
    });
    const text = JSON.stringify(result);
    for (const name of ['lenderB', 'lenderC', 'lenderD', ':"bank"', ':"guarantor"']) expect(text).not.toContain(name);
  });

  it('counts a window as (requestedAt − N days, requestedAt]', async () => {
    await report(c.m.lenderB, [{ type: 'application', daysAgo: 7 }, { type: 'application', daysAgo: 365 }, { type: 'application', daysAgo: 364.999 }]);
    const checkId = await requestCheck();
    const r = (await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', checkId)) as { windows: Record<string, { applications: number }>; velocity: unknown };
    expect([r.windows['7d']!.applications, r.windows['15d']!.applications, r.windows['365d']!.applications]).toEqual([0, 1, 2]);
    // 364.999 days back is in the 365-day window but past the twelve 30-day periods
    expect(r).toMatchObject({ velocity: { monthsWithApplications12m: 1, daysSinceFirstApplication: 365 } });
  });

  it('answers velocity null without applications by others, and months from older applications as 0', async () => {
    await report(c.m.lenderA, [{ type: 'application', daysAgo: 1 }]);
    const first = await requestCheck();
    expect(await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', first)).toMatchObject({ velocity: null, self: { applications365d: 1 } });
    await report(c.m.lenderB, [{ type: 'application', daysAgo: 800 }, { type: 'application', daysAgo: 400 }]);
    const second = await requestCheck();
    expect(await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', second)).toMatchObject({
      velocity: { daysSinceLastApplication: 400, daysSinceFirstApplication: 800, monthsWithApplications12m: 0, maxApplicationsIn24h: 0 },
    });
    // both applied again after the request; before it, the latest known of each is its first
    // (lenderB's 400 days ago is out of the buckets' year and behind its newer one)
    await report(c.m.lenderC, [{ type: 'application', daysAgo: 500 }]);
    const third = await requestCheck();
    c.ledger.advance(60_000);
    await report(c.m.lenderC, [{ type: 'application', daysAgo: 0 }]);
    await report(c.m.lenderB, [{ type: 'application', daysAgo: 0 }]);
    expect(await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', third)).toMatchObject({
      velocity: { daysSinceLastApplication: 500, daysSinceFirstApplication: 800, monthsWithApplications12m: 0 },
    });
  });

  it('counts the most applications within any span shorter than 24 hours', async () => {
    // 3 and 2 days ago are exactly 24 hours apart: never in one span
    await report(c.m.lenderB, [{ type: 'application', daysAgo: 3 }, { type: 'application', daysAgo: 2.5 }]);
    await report(c.m.lenderC, [{ type: 'application', daysAgo: 2 }, { type: 'application', daysAgo: 40 }]);
    const checkId = await requestCheck();
    expect(await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', checkId)).toMatchObject({
      velocity: { daysSinceLastApplication: 2, daysSinceFirstApplication: 40, monthsWithApplications12m: 2, maxApplicationsIn24h: 2 },
    });
  });

  it('never counts an overdue dated more than five years before the check', async () => {
    // 2021-01-10 is five years before the check: 1827 days ago is older, 1825 days within
    await report(c.m.bank, [{ type: 'application', daysAgo: 1900 }, { type: 'loan', daysAgo: 1900 }, { type: 'overdue', daysAgo: 1827 }]);
    const first = await requestCheck();
    expect(await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', first)).toMatchObject({ overdueInstitutions5y: 0, overdueInstitutions: 0, debt: { lenders: 1, openLoans: 1 } });
    await report(c.m.lenderB, [{ type: 'application', daysAgo: 1900 }, { type: 'loan', daysAgo: 1900 }, { type: 'overdue', daysAgo: 1825 }]);
    const second = await requestCheck();
    expect(await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', second)).toMatchObject({ overdueInstitutions5y: 1 });
  });

  it('counts outstanding as loans less repayments, nothing once the last loan is settled', async () => {
    await report(c.m.lenderB, [{ type: 'application', daysAgo: 9 }, { type: 'loan', daysAgo: 9, amount: 400_000 }, { type: 'application', daysAgo: 8 }, { type: 'loan', daysAgo: 8, amount: 100_000 }, { type: 'repayment', daysAgo: 7, amount: 150_000 }]);
    const first = await requestCheck();
    expect(await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', first)).toMatchObject({ debt: { lenders: 1, openLoans: 2, outstandingAmount: 350_000 } });
    await report(c.m.lenderB, [{ type: 'settled', daysAgo: 6 }]);
    const second = await requestCheck();
    expect(await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', second)).toMatchObject({ debt: { lenders: 1, openLoans: 1, outstandingAmount: 350_000 } });
    await report(c.m.lenderB, [{ type: 'settled', daysAgo: 5 }]);
    const third = await requestCheck();
    expect(await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', third)).toMatchObject({ debt: { lenders: 0, openLoans: 0, outstandingAmount: 0 }, openLoans: 0 });
    // a new loan after everything was settled owes only its own amount
    await report(c.m.lenderB, [{ type: 'application', daysAgo: 1 }, { type: 'loan', daysAgo: 1, amount: 50_000 }]);
    const fourth = await requestCheck();
    expect(await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', fourth)).toMatchObject({ debt: { lenders: 1, openLoans: 1, outstandingAmount: 50_000 } });
  });

  it('reads the aggregates only: the same keys whatever the history, and the raw event log is not needed', async () => {
    await report(c.m.lenderB, [{ type: 'application', daysAgo: 3 }]);
    const reads = async (): Promise<{ result: unknown; gets: number }> => {
      const checkId = await requestCheck();
      const gets = vi.spyOn(c.ledger.world.state, 'get');
      const result = (await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', checkId)) as Record<string, unknown>;
      const count = gets.mock.calls.length;
      gets.mockRestore();
      return { result: { ...result, checkId: undefined }, gets: count };
    };
    const small = await reads();
    // 400 more applications, one a day, all more than a year old
    for (let i = 0; i < 4; i++) {
      await report(c.m.lenderB, Array.from({ length: 100 }, (_, k) => ({ type: 'application', daysAgo: 400 + i * 100 + k })));
    }
    const large = await reads();
    expect(large.gets).toBe(small.gets);
    // without the raw event log the answer is the same
    for (const key of [...c.ledger.world.state.keys()]) if (key.startsWith('lending~')) c.ledger.world.state.delete(key);
    expect((await reads()).result).toEqual(large.result);
  });

  it('raises the alert at three institutions in 30 days without overdue, not below', async () => {
    await report(c.m.lenderB, [{ type: 'application', daysAgo: 1 }]);
    await report(c.m.lenderC, [{ type: 'application', daysAgo: 29 }]);
    const first = await requestCheck();
    expect(await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', first)).toMatchObject({ alert: false, overdueInstitutions: 0, openLoans: 0 });
    await report(c.m.bank, [{ type: 'application', daysAgo: 2 }]);
    const second = await requestCheck();
    expect(await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', second)).toMatchObject({ alert: true, windows: { '30d': { institutions: 3, applications: 3 } } });
  });

  it('ignores events after the request time', async () => {
    const checkId = await requestCheck();
    c.ledger.advance(60_000);
    await report(c.m.lenderB, [{ type: 'application', daysAgo: 0 }]);
    expect(await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', checkId)).toMatchObject({ windows: { '7d': { applications: 0 } } });
  });

  it('serves the result only to the requester and only for 15 minutes', async () => {
    const checkId = await requestCheck();
    // another lender is answered as if the check did not exist
    await expect(c.ledger.evaluate(c.m.lenderB.identity, 'lending:GetCheckResult', [checkId])).rejects.toThrow(`[CC_NOT_FOUND] check ${checkId} not found`);
    await expect(c.ledger.evaluate(c.m.regulator.identity, 'lending:GetCheckResult', [checkId])).rejects.toThrow(/^\[CC_NOT_FOUND\]/);
    await expect(c.ledger.evaluate(c.m.lenderA.identity, 'lending:GetCheckResult', ['ghost'])).rejects.toThrow(/^\[CC_NOT_FOUND\]/);
    c.ledger.advance(15 * 60_000 - 1);
    expect(await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', checkId)).toMatchObject({ checkId });
    c.ledger.advance(1);
    await expect(c.ledger.evaluate(c.m.lenderA.identity, 'lending:GetCheckResult', [checkId])).rejects.toThrow(/^\[CC_CHECK_EXPIRED\]/);
  });

  it('reveals nothing when the request is only evaluated, not committed', async () => {
    const consent = await c.grant();
    const r = JSON.parse(await c.ledger.evaluate(c.m.lenderA.identity, 'lending:RequestCheck', ['check-x', SUBJECT, consent.consentId])) as Record<string, unknown>;
    expect(Object.keys(r).sort()).toEqual(['checkId', 'purpose', 'replayed', 'requestedAt', 'txId']);
    await expect(c.ledger.evaluate(c.m.lenderA.identity, 'lending:GetCheckResult', ['check-x'])).rejects.toThrow(/^\[CC_NOT_FOUND\]/);
  });

  it('records the check request as an audited transaction', async () => {
    const checkId = await requestCheck();
    expect(c.ledger.events.at(-1)).toMatchObject({ name: 'multilending_checked', payload: { checkId, institution: 'lenderA', productId: 'check-1' } });
  });

  it('refuses a check without a valid consent naming the caller and a check product', async () => {
    const forB = await c.grant({ grantee: 'lenderB' });
    await c.expectDenied(c.m.lenderA, 'CC_CONSENT_GRANTEE_MISMATCH', 'lending:RequestCheck', 'k1', SUBJECT, forB.consentId);
    const scoreOnly = await c.grant({ products: ['score-1'] });
    await c.expectDenied(c.m.lenderA, 'CC_CONSENT_PRODUCT_MISMATCH', 'lending:RequestCheck', 'k3', SUBJECT, scoreOnly.consentId);
    const ok = await c.grant();
    await c.expectDenied(c.m.lenderA, 'CC_CONSENT_SUBJECT_MISMATCH', 'lending:RequestCheck', 'k4', OTHER_SUBJECT, ok.consentId);
    await c.expectDenied(c.m.lenderA, 'CC_CONSENT_NOT_FOUND', 'lending:RequestCheck', 'k5', SUBJECT, 'ghost');
    await c.submit(c.m.lenderA, 'consents:Revoke', ok.consentId, await c.signRevocation(ok.consentId));
    await c.expectDenied(c.m.lenderA, 'CC_CONSENT_REVOKED', 'lending:RequestCheck', 'k6', SUBJECT, ok.consentId);
    await c.expectDenied(c.m.provider, 'CC_FORBIDDEN', 'lending:RequestCheck', 'k7', SUBJECT, ok.consentId);
    await c.expectThrows(c.m.lenderA, 'CC_BAD_REQUEST', 'lending:RequestCheck', 'k8', '91350100M000100Y43', ok.consentId);
  });

  it('allows a check under a pre_loan, in_loan, post_loan or guarantee consent and records the purpose', async () => {
    for (const purpose of ['in_loan', 'post_loan', 'guarantee'] as const) {
      const consent = await c.grant({ purpose });
      const checkId = c.nextId('check');
      expect(await c.submit(c.m.lenderA, 'lending:RequestCheck', checkId, SUBJECT, consent.consentId)).toMatchObject({ checkId, purpose, replayed: false });
      expect(c.ledger.events.at(-1)).toMatchObject({ name: 'multilending_checked', payload: { checkId, purpose } });
      expect(await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', checkId)).toMatchObject({ checkId, purpose });
    }
  });

  it('answers a check id again with the first result and records nothing; another use of the id is CC_CONFLICT', async () => {
    const consent = await c.grant();
    const first = await c.submit(c.m.lenderA, 'lending:RequestCheck', 'idem:chk', SUBJECT, consent.consentId);
    const firstResult = await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', 'idem:chk');
    const size = c.ledger.size;
    const events = c.ledger.events.length;
    c.ledger.advance(60_000);
    // the consent was revoked since, yet the retry answers the first check
    await c.submit(c.m.lenderA, 'consents:Revoke', consent.consentId, await c.signRevocation(consent.consentId));
    const sizeAfterRevoke = c.ledger.size;
    const again = await c.submit(c.m.lenderA, 'lending:RequestCheck', 'idem:chk', SUBJECT, consent.consentId);
    expect(again).toEqual({ ...first, replayed: true });
    expect(c.ledger.size).toBe(sizeAfterRevoke);
    expect(c.ledger.events.length).toBe(events + 1);
    expect(size).toBeLessThan(sizeAfterRevoke);
    expect(await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', 'idem:chk')).toEqual(firstResult);
    const other = await c.grant();
    await c.expectDenied(c.m.lenderA, 'CC_CONFLICT', 'lending:RequestCheck', 'idem:chk', SUBJECT, other.consentId);
    await c.expectDenied(c.m.lenderA, 'CC_CONFLICT', 'lending:RequestCheck', 'idem:chk', OTHER_SUBJECT, consent.consentId);
    const forB = await c.grant({ grantee: 'lenderB' }, c.m.lenderB);
    await c.expectDenied(c.m.lenderB, 'CC_CONFLICT', 'lending:RequestCheck', 'idem:chk', SUBJECT, forB.consentId);
  });

  describe('batches and lifecycle', () => {
    const ev = (type: string, daysAgo = 0, subjectToken = SUBJECT) => ({ subjectToken, type, occurredAt: iso(daysAgo * DAY) });
    const record = (as: Member, batchId: string, events: unknown[]) => c.submit(as, 'lending:Record', batchId, JSON.stringify(events));

    it('records a batch once per (lender, batchId): a replay answers the first result and writes nothing', async () => {
      const events = [ev('application', 1), ev('loan')];
      const first = await record(c.m.lenderB, 'idem:1', events);
      expect(first).toEqual({ accepted: 2, batchId: 'idem:1', txId: expect.any(String), replayed: false });
      const size = c.ledger.size;
      c.ledger.advance(60_000);
      // the lifecycle has moved on (no open application left), yet the replay answers
      const again = await record(c.m.lenderB, 'idem:1', events);
      expect(again).toEqual({ ...first, replayed: true });
      expect(c.ledger.size).toBe(size);
      // the same id under another lender is another batch
      expect(await record(c.m.lenderC, 'idem:1', [ev('application')])).toMatchObject({ replayed: false });
      await c.expectDenied(c.m.lenderB, 'CC_CONFLICT', 'lending:Record', 'idem:1', JSON.stringify([ev('application', 2)]));
      await c.expectThrows(c.m.lenderB, 'CC_BAD_REQUEST', 'lending:Record', 'bad id!', JSON.stringify(events));
      await c.expectThrows(c.m.lenderB, 'CC_BAD_REQUEST', 'lending:Record', 'x'.repeat(129), JSON.stringify(events));
    });

    it("refuses events that do not follow the lender's own lifecycle, whole batch", async () => {
      for (const [i, events] of [[ev('overdue')], [ev('loan')], [ev('rejected')], [ev('repayment')], [ev('settled')], [ev('application'), ev('loan'), ev('loan')], [ev('application'), ev('rejected'), ev('loan')]].entries()) {
        await c.expectDenied(c.m.lenderA, 'CC_LENDING_SEQUENCE', 'lending:Record', `seq-${i}`, JSON.stringify(events));
      }
      // another lender's application opens nothing for lenderA
      await record(c.m.lenderB, 'b-app', [ev('application')]);
      await c.expectDenied(c.m.lenderA, 'CC_LENDING_SEQUENCE', 'lending:Record', 'a-loan', JSON.stringify([ev('loan')]));
      // state carries across batches, per subject
      await record(c.m.lenderA, 'a1', [ev('application', 3), ev('application', 3, OTHER_SUBJECT)]);
      await record(c.m.lenderA, 'a2', [ev('loan', 2)]);
      await record(c.m.lenderA, 'a3', [ev('repayment', 1), ev('overdue', 1), ev('settled')]);
      await c.expectDenied(c.m.lenderA, 'CC_LENDING_SEQUENCE', 'lending:Record', 'a4', JSON.stringify([ev('overdue')]));
      await record(c.m.lenderA, 'a5', [ev('rejected', 0, OTHER_SUBJECT)]);
    });

    it('refuses dates more than 10 years back or 5 minutes ahead', async () => {
      await c.expectThrows(c.m.lenderA, 'CC_BAD_REQUEST', 'lending:Record', 'd1', JSON.stringify([{ subjectToken: SUBJECT, type: 'application', occurredAt: '0001-01-01T00:00:00Z' }]));
      await c.expectThrows(c.m.lenderA, 'CC_BAD_REQUEST', 'lending:Record', 'd2', JSON.stringify([{ subjectToken: SUBJECT, type: 'application', occurredAt: '2016-01-09T23:59:59Z' }]));
      await c.expectThrows(c.m.lenderA, 'CC_BAD_REQUEST', 'lending:Record', 'd3', JSON.stringify([{ subjectToken: SUBJECT, type: 'application', occurredAt: '2026-01-10T00:05:00.001Z' }]));
      await record(c.m.lenderA, 'd4', [{ subjectToken: SUBJECT, type: 'application', occurredAt: '2016-01-10T00:00:00Z' }, { subjectToken: SUBJECT, type: 'application', occurredAt: '2026-01-10T00:05:00Z' }]);
    });
  });
});

