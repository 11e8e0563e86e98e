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
    expect(byB.events).toHaveLength(2);
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
    const byB = await c.evaluate<Page>(c.m.regulator, 'audit:Events', JSON.stringify({ institution: 'lenderB' }));
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
