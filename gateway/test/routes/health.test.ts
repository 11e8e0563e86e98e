import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

describe('health routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('answers /healthz with 200 without a key', async () => {
    const res = await t.as(undefined, { method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers /readyz with 200 when ledger and connector are reachable', async () => {
    t.services.readiness_ = { ledger: true, connector: true };
    const res = await t.as(undefined, { method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ready: true, checks: { ledger: true, connector: true } });
  });

  it('answers /readyz with 503 when the ledger is unreachable', async () => {
    t.services.readiness_ = { ledger: false, connector: true };
    const res = await t.as(undefined, { method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ ready: false, checks: { ledger: false, connector: true } });
  });

  it('answers /readyz with 503 when the readiness probe itself throws', async () => {
    t.services.readiness_ = { ledger: true, connector: true };
    t.services.failNext('readiness', new Error('connector socket closed'));
    const res = await t.as(undefined, { method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ ready: false });
  });

  it('keeps a well-formed caller request id and replaces a malformed one', async () => {
    const kept = await t.as(undefined, { method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await t.as(undefined, { method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(replaced.headers['x-request-id']).not.toBe('bad id\twith spaces');
  });
});
