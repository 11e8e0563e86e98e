import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, errorOf, type TestApp } from '../support/test-app.js';

describe('/v1/audit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('pages through events oldest first with a cursor', async () => {
    const first = await t.as('reg-1', { method: 'GET', url: '/v1/audit/events?limit=3&type=consent_granted&institution=ml-1&from=2025-01-01T00:00:00Z' });
    expect(first.statusCode).toBe(200);
    const page1 = first.json() as { events: { txId: string; block: number; type: string; institution: string; at: string }[]; cursor?: string };
    expect(page1.events.map((e) => e.txId)).toEqual(['tx-a0', 'tx-a1', 'tx-a2']);
    expect(page1.events[0]).toEqual({ txId: 'tx-a0', block: 1, type: 'consent_granted', institution: 'ml-1', at: '2025-01-01T00:00:00.000Z' });
    expect(page1.cursor).toBe('3');
    expect(t.services.callsOf('auditEvents')[0]?.args[0]).toEqual({ limit: 3, type: 'consent_granted', institution: 'ml-1', from: '2025-01-01T00:00:00Z' });

    const second = (await t.as('reg-1', { method: 'GET', url: `/v1/audit/events?limit=3&cursor=${page1.cursor}` })).json() as { events: unknown[]; cursor?: string };
    expect(second.events).toHaveLength(2);
    expect(second).not.toHaveProperty('cursor');
  });

  it('accepts every audit type of API.md', async () => {
    for (const type of ['institution_admitted', 'lending_events_recorded', 'multilending_checked', 'denied']) {
      expect((await t.as('reg-1', { method: 'GET', url: `/v1/audit/events?type=${type}` })).statusCode).toBe(200);
    }
  });

  it('checks the chain for the regulator', async () => {
    const res = await t.as('reg-1', { method: 'GET', url: '/v1/audit/integrity' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, height: 8, headHash: 'ab'.repeat(32) });
  });

  it('refuses every other role with 403 FORBIDDEN', async () => {
    for (const caller of ['op-1', 'prov-1', 'ml-1', 'gua-1', 'ex-1']) {
      for (const url of ['/v1/audit/events', '/v1/audit/integrity']) {
        expect(errorOf(await t.as(caller, { method: 'GET', url })), `${caller} ${url}`).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      }
    }
    expect(t.services.callsOf('auditIntegrity')).toHaveLength(1);
  });
});
