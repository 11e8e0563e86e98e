/**
 * The gateway's own refusals (role, suspension) reach the ledger through
 * Services.recordRefusals: batched, never delaying the answer, retried after a failure.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LedgerError, LedgerErrorCode } from '@xinlian/network';
import { createFakeServices } from './support/fake-services.js';
import { startLiveApp, type LiveApp } from './support/live-app.js';
import { SEED } from './support/test-app.js';

const until = async (check: () => boolean, ms = 5_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('gateway refusals on the ledger (real port)', () => {
  let live: LiveApp | undefined;
  afterEach(async () => {
    await live?.close();
    live = undefined;
  });

  it('records a role refusal with the action, code and refused institution', async () => {
    live = await startLiveApp({ refusalFlushMs: 20 });
    const res = await live.call('ml-1', '/v1/institutions', { body: { id: 'x-1', name: 'X', roles: ['bank'] } });
    expect(res.status).toBe(403);
    await until(() => live!.services.refusals.length === 1);
    expect(live.services.refusals[0]).toEqual({
      action: 'POST /v1/institutions',
      code: 'GW_FORBIDDEN',
      message: 'this operation requires one of the roles: regulator',
      requester: 'ml-1',
    });
  });

  it('records the refusal of a suspended institution, on a /v1 route and on a public one', async () => {
    live = await startLiveApp({ refusalFlushMs: 20 });
    expect((await live.call('susp-1', '/v1/catalog')).status).toBe(403);
    expect((await live.call('susp-1', '/readyz')).status).toBe(403);
    await until(() => live!.services.refusals.length === 2);
    expect(live.services.refusals.map((r) => [r.action, r.code, r.requester])).toEqual([
      ['GET /v1/catalog', 'GW_INSTITUTION_SUSPENDED', 'susp-1'],
      ['GET /readyz', 'GW_INSTITUTION_SUSPENDED', 'susp-1'],
    ]);
  });

  it('records nothing for an unknown key (no known institution to name)', async () => {
    live = await startLiveApp({ refusalFlushMs: 20 });
    const res = await fetch(`${live.url}/v1/catalog`, { headers: { authorization: 'Bearer not-a-key-0123456789abcdefghij' } });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 150));
    expect(live.services.refusals).toEqual([]);
  });

  it('answers at once even when the ledger never answers the recording', async () => {
    const services = createFakeServices(SEED);
    let writes = 0;
    services.recordRefusals = () => {
      writes++;
      return new Promise<void>(() => undefined);
    };
    live = await startLiveApp({ refusalFlushMs: 10 }, services);
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      expect((await live.call('ml-1', '/v1/audit/integrity')).status).toBe(403);
      expect(Date.now() - started).toBeLessThan(1_000);
    }
    await until(() => writes >= 1);
  });

  it('retries after a failed write and loses nothing', async () => {
    live = await startLiveApp({ refusalFlushMs: 10 });
    live.services.failNext('recordRefusals', new LedgerError(LedgerErrorCode.UNAVAILABLE, 'peer down'));
    expect((await live.call('ml-2', '/v1/audit/integrity')).status).toBe(403);
    await until(() => live!.services.refusals.length === 1, 8_000);
    expect(live.services.callsOf('recordRefusals').length).toBeGreaterThanOrEqual(2);
  });

  it('writes at most 100 refusals per ledger call, even when more queued up while the ledger was slow', async () => {
    const services = createFakeServices(SEED);
    const sizes: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    services.recordRefusals = async (list) => {
      sizes.push(list.length);
      if (sizes.length === 1) await gate;
    };
    live = await startLiveApp({ refusalFlushMs: 20, refusalRepeatWindowMs: 0, rateLimit: { max: 10_000, timeWindowMs: 60_000 } }, services);
    expect((await live.call('ex-1', '/v1/audit/integrity')).status).toBe(403);
    await until(() => sizes.length === 1);
    // the first write hangs: these queue up meanwhile
    await Promise.all(Array.from({ length: 150 }, () => live!.call('ex-1', '/v1/audit/integrity')));
    release();
    await until(() => sizes.reduce((a, b) => a + b, 0) === 151);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
  });

  it('folds a flood of the same refusal into one record per minute, saying how many were folded', async () => {
    let clock = Date.UTC(2026, 0, 1);
    live = await startLiveApp({ refusalFlushMs: 20, now: () => clock, rateLimit: { max: 10_000, timeWindowMs: 60_000 } });
    for (let i = 0; i < 30; i++) expect((await live.call('susp-1', '/v1/catalog')).status).toBe(403);
    await until(() => live!.services.refusals.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(live.services.refusals).toHaveLength(1);
    // another action is another refusal
    expect((await live.call('susp-1', '/v1/institutions')).status).toBe(403);
    await until(() => live!.services.refusals.length === 2);
    clock += 60_001;
    expect((await live.call('susp-1', '/v1/catalog')).status).toBe(403);
    await until(() => live!.services.refusals.length === 3);
    expect(live.services.refusals[2]).toMatchObject({ action: 'GET /v1/catalog', code: 'GW_INSTITUTION_SUSPENDED', message: expect.stringContaining('and 29 more') });
  });

  it('lets a reinstated institution in at once, without waiting for the status cache', async () => {
    live = await startLiveApp({ statusCacheMs: 60_000 });
    expect((await live.call('susp-1', '/v1/catalog')).status).toBe(403);
    const res = await live.call('reg-1', '/v1/institutions/susp-1/suspension', { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'susp-1', status: 'active' });
    expect((await live.call('susp-1', '/v1/catalog')).status).toBe(200);
  });
});
