import { beforeEach, describe, expect, it } from 'vitest';
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
    expect(r).toEqual({ checkId, requestedAt: new Date(c.ledger.now).toISOString() });
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

  it('computes windows, overdue and open loans over other institutions only, never naming them', async () => {
    await report(c.m.lenderB, [{ type: 'application', daysAgo: 2 }, { type: 'loan', daysAgo: 2 }]);
    await report(c.m.lenderC, [{ type: 'application', daysAgo: 20 }, { type: 'application', daysAgo: 10 }, { type: 'loan', daysAgo: 10 }, { type: 'overdue', daysAgo: 5 }]);
    await report(c.m.lenderD, [{ type: 'application', daysAgo: 60 }, { type: 'loan', daysAgo: 60 }, { type: 'overdue', daysAgo: 40 }, { type: 'settled', daysAgo: 30 }]);
    await report(c.m.bank, [{ type: 'application', daysAgo: 200 }, { type: 'loan', daysAgo: 200 }, { type: 'overdue', daysAgo: 120 }]);
    await report(c.m.guarantor, [{ type: 'application', daysAgo: 1, subjectToken: OTHER_SUBJECT }]);
    // the requester's own events do not count
    await report(c.m.lenderA, [{ type: 'application', daysAgo: 0 }, { type: 'application', daysAgo: 3 }, { type: 'loan', daysAgo: 3 }, { type: 'overdue', daysAgo: 1 }]);
    const checkId = await requestCheck();
    c.ledger.advance(60_000);
    const result = await c.evaluate(c.m.lenderA, 'lending:GetCheckResult', checkId);
    expect(result).toEqual({
      checkId,
      requestedAt: '2026-01-10T00:00:00.000Z',
      windows: {
        '7d': { institutions: 1, applications: 1 },
        '30d': { institutions: 2, applications: 3 },
        '90d': { institutions: 3, applications: 4 },
      },
      overdueInstitutions: 1,
      openLoans: 3,
      alert: true,
    });
    const text = JSON.stringify(result);
    for (const name of ['lenderB', 'lenderC', 'lenderD', 'bank']) expect(text).not.toContain(name);
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
    expect(Object.keys(r).sort()).toEqual(['checkId', 'requestedAt']);
    await expect(c.ledger.evaluate(c.m.lenderA.identity, 'lending:GetCheckResult', ['check-x'])).rejects.toThrow(/^\[CC_NOT_FOUND\]/);
  });

  it('records the check request as an audited transaction', async () => {
    const checkId = await requestCheck();
    expect(c.ledger.events.at(-1)).toMatchObject({ name: 'multilending_checked', payload: { checkId, institution: 'lenderA', productId: 'check-1' } });
  });

  it('refuses a check without a valid pre_loan consent naming the caller and a check product', async () => {
    const forB = await c.grant({ grantee: 'lenderB' });
    await c.expectDenied(c.m.lenderA, 'CC_CONSENT_GRANTEE_MISMATCH', 'lending:RequestCheck', 'k1', SUBJECT, forB.consentId);
    const inLoan = await c.grant({ purpose: 'in_loan' });
    await c.expectDenied(c.m.lenderA, 'CC_CONSENT_PURPOSE_MISMATCH', 'lending:RequestCheck', 'k2', SUBJECT, inLoan.consentId);
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

  it('refuses a duplicate check id', async () => {
    const checkId = await requestCheck();
    const consent = await c.grant();
    await c.expectDenied(c.m.lenderA, 'CC_CONFLICT', 'lending:RequestCheck', checkId, SUBJECT, consent.consentId);
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

