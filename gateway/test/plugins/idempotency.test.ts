/**
 * Idempotency-Key over a real port, with the durable store in a real LevelDB directory.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LedgerError, LedgerErrorCode } from '@xinlian/network';
import { IDEMPOTENCY_TTL_MS } from '../../src/store/idempotency-store.js';
import { openGatewayStore, type GatewayStore } from '../../src/store/gateway-store.js';
import { createFakeServices } from '../support/fake-services.js';
import { startLiveApp, type LiveApp } from '../support/live-app.js';
import { keyOf, SEED, USCC } from '../support/test-app.js';

const events = (n: number) => Array.from({ length: n }, (_, i) => ({ uscc: USCC[i % 2], type: 'application', occurredAt: '2025-01-01T00:00:00.000Z' }));
const key = (k: string) => ({ 'idempotency-key': k });

describe('Idempotency-Key (real port, LevelDB store)', () => {
  let dir: string;
  let store: GatewayStore;
  let live: LiveApp;
  let clock = Date.UTC(2026, 0, 1);
  const now = () => clock;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xinlian-gw-idem-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    store = await openGatewayStore(join(dir, `store-${randomUUID()}`), { now });
    for (const i of SEED) await store.apiKeys.ensure(i.id, i.roles, keyOf(i.id));
    live = await startLiveApp({ apiKeys: store.apiKeys, idempotency: store.idempotency, now });
  });
  afterEach(async () => {
    await live.close();
    await store.close();
  });

  it('answers a repeated POST with the first answer and does the work once', async () => {
    const first = await live.call('ml-1', '/v1/lending-events', { body: { events: events(2) }, headers: key('batch-1') });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await live.call('ml-1', '/v1/lending-events', { body: { events: events(2) }, headers: key('batch-1') });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(live.services.callsOf('recordLendingEvents')).toHaveLength(1);
  });

  it('passes the key to the lending service (the ledger batch id is derived from it)', async () => {
    await live.call('ml-1', '/v1/lending-events', { body: { events: events(1) }, headers: key('batch-k') });
    expect(live.services.callsOf('recordLendingEvents')[0]?.args[1]).toEqual({ idempotencyKey: 'batch-k' });
  });

  it('answers 409 CONFLICT for the same key with another body, and keeps the first answer', async () => {
    const first = await live.call('ml-1', '/v1/lending-events', { body: { events: events(1) }, headers: key('k-2') });
    const other = await live.call('ml-1', '/v1/lending-events', { body: { events: events(2) }, headers: key('k-2') });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ error: { code: 'CONFLICT' } });
    const again = await live.call('ml-1', '/v1/lending-events', { body: { events: events(1) }, headers: key('k-2') });
    expect(again.body).toEqual(first.body);
    expect(live.services.callsOf('recordLendingEvents')).toHaveLength(1);
  });

  it('treats the same key on another route as a conflict', async () => {
    await live.call('ml-1', '/v1/lending-events', { body: { events: events(1) }, headers: key('k-route') });
    const res = await live.call('ml-1', '/v1/multi-lending/check', { body: { uscc: USCC[0], consentId: 'c-1' }, headers: key('k-route') });
    expect(res.status).toBe(409);
  });

  it('keeps keys apart per institution', async () => {
    await live.call('ml-1', '/v1/lending-events', { body: { events: events(1) }, headers: key('shared') });
    const res = await live.call('ml-2', '/v1/lending-events', { body: { events: events(1) }, headers: key('shared') });
    expect(res.status).toBe(201);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    expect(live.services.callsOf('recordLendingEvents')).toHaveLength(2);
  });

  it('never de-duplicates a request without a key', async () => {
    await live.call('ml-1', '/v1/lending-events', { body: { events: events(1) } });
    await live.call('ml-1', '/v1/lending-events', { body: { events: events(1) } });
    expect(live.services.callsOf('recordLendingEvents')).toHaveLength(2);
  });

  it('runs concurrent requests under one key once', async () => {
    const all = await Promise.all(
      Array.from({ length: 5 }, () => live.call('ml-1', '/v1/lending-events', { body: { events: events(3) }, headers: key('burst') })),
    );
    expect(new Set(all.map((r) => JSON.stringify([r.status, r.body])))).toHaveProperty('size', 1);
    expect(all.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
    expect(live.services.callsOf('recordLendingEvents')).toHaveLength(1);
  });

  it('replays a 4xx answer too, but not a 5xx (the request may be retried)', async () => {
    const refused = await live.call('ml-1', '/v1/multi-lending/check', { body: { uscc: USCC[0], consentId: 'none' }, headers: key('k-4xx') });
    expect(refused.status).toBe(422);
    const replayed = await live.call('ml-1', '/v1/multi-lending/check', { body: { uscc: USCC[0], consentId: 'none' }, headers: key('k-4xx') });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(live.services.callsOf('checkMultiLending')).toHaveLength(1);

    live.services.failNext('recordLendingEvents', new LedgerError(LedgerErrorCode.UNAVAILABLE, 'peer down'));
    const failed = await live.call('ml-1', '/v1/lending-events', { body: { events: events(1) }, headers: key('k-5xx') });
    expect(failed.status).toBe(503);
    const retried = await live.call('ml-1', '/v1/lending-events', { body: { events: events(1) }, headers: key('k-5xx') });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  it('refuses a malformed or repeated key with 400', async () => {
    for (const bad of ['', 'has space', 'x'.repeat(129), 'ünï']) {
      const res = await live.call('ml-1', '/v1/lending-events', { body: { events: events(1) }, headers: key(bad) });
      expect(res.status, bad).toBe(400);
    }
    expect(live.services.callsOf('recordLendingEvents')).toHaveLength(0);
  });

  it('forgets an answer after 24 hours', async () => {
    await live.call('ml-1', '/v1/lending-events', { body: { events: events(1) }, headers: key('k-ttl') });
    clock += IDEMPOTENCY_TTL_MS + 1;
    const later = await live.call('ml-1', '/v1/lending-events', { body: { events: events(1) }, headers: key('k-ttl') });
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(live.services.callsOf('recordLendingEvents')).toHaveLength(2);
  });

  it('never keeps a secret shown once: a replayed key rotation does not show the key again', async () => {
    const first = await live.call('gua-1', '/v1/api-keys/rotation', { body: {}, headers: key('rot-1') });
    expect(first.status).toBe(201);
    expect(first.body['apiKey']).toMatch(/^xl_/);
    // the rotation took effect: the old key is refused, the new one works
    expect((await live.call('gua-1', '/v1/catalog')).status).toBe(401);
    const replay = await fetch(`${live.url}/v1/api-keys/rotation`, {
      method: 'POST',
      headers: { authorization: `Bearer ${String(first.body['apiKey'])}`, 'content-type': 'application/json', 'idempotency-key': 'rot-1' },
      body: '{}',
    });
    // another key of the same institution: the same scope, so the first answer comes back, without the key
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).not.toHaveProperty('apiKey');
  });

  it('survives a restart: the answer is replayed by a new process over the same directory', async () => {
    const path = join(dir, 'restart');
    let s = await openGatewayStore(path, { now });
    for (const i of SEED) await s.apiKeys.ensure(i.id, i.roles, keyOf(i.id));
    let app = await startLiveApp({ apiKeys: s.apiKeys, idempotency: s.idempotency, now });
    const first = await app.call('ml-1', '/v1/lending-events', { body: { events: events(2) }, headers: key('across-restart') });
    await app.close();
    await s.close();

    s = await openGatewayStore(path, { now });
    const services = createFakeServices(SEED);
    app = await startLiveApp({ apiKeys: s.apiKeys, idempotency: s.idempotency, now }, services);
    try {
      const again = await app.call('ml-1', '/v1/lending-events', { body: { events: events(2) }, headers: key('across-restart') });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(services.callsOf('recordLendingEvents')).toHaveLength(0);
    } finally {
      await app.close();
      await s.close();
    }
  });
});
