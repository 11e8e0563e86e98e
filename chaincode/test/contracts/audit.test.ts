import { AUDIT_TYPES } from '@xinlian/chaincode';
import { beforeEach, describe, expect, it } from 'vitest';
import { Consortium, SUBJECT, newConsortium } from '../support/consortium.js';

interface Page {
  events: { txId: string; type: string; institution: string; at: string; [k: string]: unknown }[];
  cursor?: string;
}

describe('audit', () => {
  let c: Consortium;
  beforeEach(async () => {
    c = await newConsortium();
  });
  const events = (query: Record<string, unknown>) => c.evaluate<Page>(c.m.regulator, 'audit:Events', JSON.stringify(query));

  it('lists every committed change oldest first, each matching its event', async () => {
    const page = await events({ limit: 1000 });
    // initialise + 10 admissions + subject + 2 products
    expect(page.events).toHaveLength(14);
    expect(page.cursor).toBeUndefined();
    expect(page.events.map((e) => e.txId)).toEqual(c.ledger.events.map((e) => e.txId));
    expect(page.events).toEqual(c.ledger.events.map((e) => e.payload));
    expect(new Set(page.events.map((e) => e.type)).size).toBeGreaterThan(1);
    expect(page.events.every((e) => (AUDIT_TYPES as readonly string[]).includes(e.type))).toBe(true);
  });

  it('filters by type, institution and time range', async () => {
    c.ledger.advance(3_600_000);
    await c.submit(c.m.lenderB, 'lending:Record', 'b1', JSON.stringify([{ subjectToken: SUBJECT, type: 'application', occurredAt: '2026-01-10T00:30:00Z' }]));
    await c.submit(c.m.lenderA, 'institutions:Admit', '{"id":"x","name":"x","roles":["bank"],"signerAddress":"0x0000000000000000000000000000000000000001"}');
    c.ledger.advance(3_600_000);
    await c.submit(c.m.lenderB, 'lending:Record', 'b2', JSON.stringify([{ subjectToken: SUBJECT, type: 'loan', occurredAt: '2026-01-10T01:30:00Z' }, { subjectToken: SUBJECT, type: 'repayment', occurredAt: '2026-01-10T01:31:00Z' }]));

    const lending = await events({ type: 'lending_events_recorded' });
    expect(lending.events.map((e) => e.count)).toEqual([1, 2]);
    const byB = await events({ institution: 'lenderB' });
    expect(byB.events.map((e) => e.type)).toEqual(['institution_admitted', 'lending_events_recorded', 'lending_events_recorded']);
    const denied = await events({ type: 'denied', institution: 'lenderA' });
    expect(denied.events).toEqual([expect.objectContaining({ action: 'institutions:Admit', code: 'CC_FORBIDDEN', institution: 'lenderA' })]);
    const window = await events({ from: '2026-01-10T00:30:00Z', to: '2026-01-10T01:00:00Z' });
    expect(window.events.map((e) => e.type)).toEqual(['lending_events_recorded', 'denied']);
    const empty = await events({ institution: 'lenderB', type: 'denied' });
    expect(empty).toEqual({ events: [] });
  });

  it('pages with a cursor until nothing remains', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await events({ limit: 4, ...(cursor ? { cursor } : {}) });
      expect(page.events.length).toBeLessThanOrEqual(4);
      seen.push(...page.events.map((e) => e.txId));
      cursor = page.cursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toEqual(c.ledger.events.map((e) => e.txId));
    const filtered = await events({ type: 'institution_admitted', limit: 10 });
    expect(filtered.events).toHaveLength(10);
    const rest = await events({ type: 'institution_admitted', limit: 10, cursor: filtered.cursor });
    expect(rest.events).toHaveLength(1);
    expect(rest.cursor).toBeUndefined();
  });

  it('is for regulators only and validates its query', async () => {
    await expect(c.ledger.evaluate(c.m.operator.identity, 'audit:Events', ['{}'])).rejects.toThrow(/^\[CC_FORBIDDEN\]/);
    await expect(c.ledger.evaluate(c.m.operator.identity, 'audit:History', ['product', 'score-1'])).rejects.toThrow(/^\[CC_FORBIDDEN\]/);
    for (const bad of ['{"limit":0}', '{"limit":1001}', '{"type":"gossip"}', '{"from":"yesterday"}', '{"cursor":"bm90LWEta2V5"}', '[]']) {
      await expect(c.ledger.evaluate(c.m.regulator.identity, 'audit:Events', [bad])).rejects.toThrow(/^\[CC_BAD_REQUEST\]/);
    }
  });

  it('returns the history of a record', async () => {
    c.ledger.advance(1000);
    await c.submit(c.m.provider, 'products:UpdateVersion', 'score-1', '2.0', '');
    const history = await c.evaluate<{ txId: string; at: string; isDelete: boolean; value: { modelVersion: string } }[]>(c.m.regulator, 'audit:History', 'product', 'score-1');
    expect(history.map((h) => h.value.modelVersion)).toEqual(['1.0.0', '2.0']);
    expect(history[1]).toMatchObject({ at: '2026-01-10T00:00:01.000Z', isDelete: false });
    expect(await c.evaluate(c.m.regulator, 'audit:History', 'subject', SUBJECT)).toHaveLength(1);
    await expect(c.ledger.evaluate(c.m.regulator.identity, 'audit:History', ['table', 'x'])).rejects.toThrow(/^\[CC_BAD_REQUEST\]/);
  });
});

describe('audit: parties, subjects, order and stats', () => {
  let c: Consortium;
  beforeEach(async () => {
    c = await newConsortium();
  });
  const events = (query: Record<string, unknown>) => c.evaluate<Page>(c.m.regulator, 'audit:Events', JSON.stringify({ limit: 1000, ...query }));

  it('finds a record under each party it names, not only the submitter', async () => {
    const consent = await c.grant({}, c.m.lenderB); // submitted by lenderB for grantee lenderA
    const a = await c.agree(); // submitted by the consumer lenderA; provider is a party
    const byProvider = await events({ institution: 'provider' });
    expect(byProvider.events.map((e) => e.type)).toContain('contract_agreed');
    expect(byProvider.events.find((e) => e.type === 'contract_agreed')).toMatchObject({ institution: 'lenderA', contractId: a.contractId, parties: ['lenderA', 'provider'] });
    const byA = await events({ institution: 'lenderA', type: 'consent_granted' });
    expect(byA.events).toEqual([expect.objectContaining({ institution: 'lenderB', consentId: consent.consentId, parties: ['lenderA', 'lenderB'] })]);
    // an admission concerns the admitted institution too
    expect((await events({ institution: 'bank' })).events).toEqual([expect.objectContaining({ type: 'institution_admitted', institution: 'regulator', id: 'bank' })]);
  });

  it('filters by subject and reads newest first within [from, to], paging by cursor', async () => {
    const times: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      c.ledger.advance(60_000);
      times.push(new Date(c.ledger.now).toISOString());
      await c.grant({}, c.m.lenderA);
    }
    const bySubject = await events({ subject: SUBJECT });
    expect(bySubject.events.map((e) => e.type)).toEqual(['subject_registered', ...times.map(() => 'consent_granted')]);
    const desc = await events({ subject: SUBJECT, order: 'desc', from: times[1], to: times[3] });
    expect(desc.events.map((e) => e.at)).toEqual([times[3], times[2], times[1]]);
    const page1 = await events({ type: 'consent_granted', order: 'desc', limit: 2 });
    expect(page1.events.map((e) => e.at)).toEqual([times[4], times[3]]);
    const page2 = await events({ type: 'consent_granted', order: 'desc', limit: 2, cursor: page1.cursor });
    expect(page2.events.map((e) => e.at)).toEqual([times[2], times[1]]);
    await expect(c.ledger.evaluate(c.m.regulator.identity, 'audit:Events', [JSON.stringify({ order: 'sideways' })])).rejects.toThrow(/^\[CC_BAD_REQUEST\]/);
    await expect(c.ledger.evaluate(c.m.regulator.identity, 'audit:Events', [JSON.stringify({ subject: '91350100M000100Y43' })])).rejects.toThrow(/^\[CC_BAD_REQUEST\]/);
  });

  it('counts records per bucket, type and acting institution over [from, to)', async () => {
    const start = c.ledger.now; // 2026-01-10T00:00:00Z; the setup's 14 records are at this instant
    c.ledger.advance(90 * 60_000); // 01:30
    await c.grant({}, c.m.lenderA);
    await c.grant({}, c.m.lenderB);
    c.ledger.advance(60 * 60_000); // 02:30
    await c.grant({}, c.m.lenderA);
    const stats = (q: Record<string, unknown>) => c.evaluate<{ buckets: { start: string; type: string; institution: string; count: number }[] }>(c.m.regulator, 'audit:Stats', JSON.stringify(q));
    const hours = await stats({ from: new Date(start + 3_600_000).toISOString(), to: new Date(start + 3 * 3_600_000).toISOString(), bucket: 'hour' });
    expect(hours.buckets).toEqual([
      { start: '2026-01-10T01:00:00.000Z', type: 'consent_granted', institution: 'lenderA', count: 1 },
      { start: '2026-01-10T01:00:00.000Z', type: 'consent_granted', institution: 'lenderB', count: 1 },
      { start: '2026-01-10T02:00:00.000Z', type: 'consent_granted', institution: 'lenderA', count: 1 },
    ]);
    const days = await stats({ from: '2026-01-10T00:00:00Z', to: '2026-01-11T00:00:00Z', bucket: 'day' });
    expect(days.buckets.find((b) => b.type === 'consent_granted' && b.institution === 'lenderA')).toEqual({ start: '2026-01-10T00:00:00.000Z', type: 'consent_granted', institution: 'lenderA', count: 2 });
    expect(days.buckets.reduce((n, b) => n + b.count, 0)).toBe(14 + 3);
    // `to` is exclusive
    expect((await stats({ from: '2026-01-09T00:00:00Z', to: '2026-01-10T00:00:00Z', bucket: 'day' })).buckets).toEqual([]);
    for (const bad of [
      { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:01Z', bucket: 'hour' },
      { from: '2025-01-01T00:00:00Z', to: '2026-01-02T00:00:01Z', bucket: 'day' },
      { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z', bucket: 'day' },
      { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z', bucket: 'week' },
      { from: '2026-01-01T00:00:00Z', bucket: 'day' },
    ]) {
      await expect(c.ledger.evaluate(c.m.regulator.identity, 'audit:Stats', [JSON.stringify(bad)]), JSON.stringify(bad)).rejects.toThrow(/^\[CC_BAD_REQUEST\]/);
    }
    expect(await stats({ from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', bucket: 'hour' })).toMatchObject({ buckets: expect.any(Array) });
    await expect(c.ledger.evaluate(c.m.lenderA.identity, 'audit:Stats', [JSON.stringify({ from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z', bucket: 'day' })])).rejects.toThrow(/^\[CC_FORBIDDEN\]/);
  });
});

describe('audit:RecordRefusals', () => {
  it("records each off-ledger refusal, attributed to the refused institution", async () => {
    const c = await newConsortium();
    const refusals = [
      { action: 'transfer', code: 'CONN_CONSENT_INVALID', message: 'consent c-1 was revoked', requester: 'lenderA' },
      { action: 'POST /v1/products', code: 'FORBIDDEN', message: 'role', requester: 'lenderB' },
    ];
    const before = c.ledger.size;
    const result = await c.submit<{ recorded: number; txId: string }>(c.m.provider, 'audit:RecordRefusals', JSON.stringify(refusals));
    expect(result.recorded).toBe(2);
    // per refusal: a denial record + all, type, requester and recorder indexes in both orders
    expect(c.ledger.size - before).toBe(2 * (1 + 4 * 2));
    const page = await c.evaluate<Page>(c.m.regulator, 'audit:Events', JSON.stringify({ type: 'denied' }));
    expect(page.events).toEqual([
      expect.objectContaining({ action: 'transfer', code: 'CONN_CONSENT_INVALID', message: 'consent c-1 was revoked', type: 'denied', institution: 'lenderA', recordedBy: 'provider', txId: result.txId, parties: ['lenderA', 'provider'] }),
      expect.objectContaining({ action: 'POST /v1/products', type: 'denied', institution: 'lenderB', recordedBy: 'provider', txId: result.txId }),
    ]);
    expect(c.ledger.events.at(-1)).toMatchObject({ name: 'denied', payload: { type: 'denied', count: 2, institution: 'provider', records: [{ institution: 'lenderA' }, { institution: 'lenderB' }] } });
    const byB = await c.evaluate<Page>(c.m.regulator, 'audit:Events', JSON.stringify({ institution: 'lenderB', type: 'denied' }));
    expect(byB.events.map((e) => e.action)).toEqual(['POST /v1/products']);
  });

  it('refuses malformed refusals and a suspended recorder; the old single form is gone', async () => {
    const c = await newConsortium();
    const one = { action: 'transfer', code: 'X', message: 'm', requester: 'lenderA' };
    for (const bad of [{ action: 'transfer' }, [], [{ action: 'transfer' }], Array.from({ length: 101 }, () => one), [{ ...one, extra: 1 }]]) {
      await c.expectThrows(c.m.provider, 'CC_BAD_REQUEST', 'audit:RecordRefusals', JSON.stringify(bad));
    }
    await expect(c.submit(c.m.provider, 'audit:RecordRefusal', JSON.stringify(one))).rejects.toThrow(/RecordRefusal/);
    await c.submit(c.m.regulator, 'institutions:Suspend', 'provider', 'audit');
    await c.expectDenied(c.m.provider, 'CC_INSTITUTION_SUSPENDED', 'audit:RecordRefusals', JSON.stringify([one]));
  });
});
