import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerError, LedgerErrorCode } from '@xinlian/network';
import { newInstitution } from '../support/fake-services.js';
import { buildTestApp, errorOf, keyOf, type TestApp } from '../support/test-app.js';

describe('authentication, suspension and roles', () => {
  let t: TestApp;
  let clock = 1_000_000;
  beforeAll(async () => {
    t = await buildTestApp({ now: () => clock, statusCacheMs: 5_000 });
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('refuses a call without a key with 401 UNAUTHENTICATED', async () => {
    const res = await t.as(undefined, { method: 'GET', url: '/v1/catalog' });
    expect(errorOf(res)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('refuses an unknown key with 401 UNAUTHENTICATED', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/catalog', headers: { authorization: 'Bearer not-a-key-of-anyone-0000000000' } });
    expect(errorOf(res)).toEqual({ status: 401, code: 'UNAUTHENTICATED', message: 'invalid API key' });
  });

  it('refuses a malformed Authorization header with 401', async () => {
    for (const authorization of [keyOf('ml-1'), `Basic ${keyOf('ml-1')}`, 'Bearer ', `Bearer ${keyOf('ml-1')} extra`]) {
      const res = await t.app.inject({ method: 'GET', url: '/v1/catalog', headers: { authorization } });
      expect(errorOf(res)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    }
  });

  it('authenticates before parsing the body: no key and broken JSON is still 401', async () => {
    const res = await t.as(undefined, { method: 'POST', url: '/v1/subjects', headers: { 'content-type': 'application/json' }, payload: '{oops' });
    expect(errorOf(res)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('accepts the scheme name in any case', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/catalog', headers: { authorization: `bearer ${keyOf('ml-1')}` } });
    expect(res.statusCode).toBe(200);
  });

  it('passes the authenticated institution and roles to the services', async () => {
    await t.as('ml-2', { method: 'GET', url: '/v1/catalog' });
    expect(t.services.callsOf('listProducts').at(-1)?.caller).toEqual({ institutionId: 'ml-2', roles: ['microlender'] });
  });

  it('refuses a caller without the required role with 403 FORBIDDEN', async () => {
    const res = await t.as('ml-1', { method: 'GET', url: '/v1/audit/integrity' });
    expect(errorOf(res)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(errorOf(res).message).toContain('regulator');
    expect(t.services.callsOf('auditIntegrity')).toHaveLength(0);
  });

  it("refuses a suspended institution's key with 403 on /v1, /readyz, /metrics and /docs but not /healthz", async () => {
    for (const url of ['/v1/catalog', '/readyz', '/metrics', '/docs/json']) {
      const res = await t.as('susp-1', { method: 'GET', url });
      expect(errorOf(res), url).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(errorOf(res).message).toContain('suspended');
    }
    const health = await t.as('susp-1', { method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
  });

  it('refuses a key whose institution is not a member or not active', async () => {
    t.services.institutions.set('ml-2', newInstitution('ml-2', ['microlender'], 'pending'));
    clock += 10_000;
    const res = await t.as('ml-2', { method: 'GET', url: '/v1/catalog' });
    expect(errorOf(res)).toMatchObject({ status: 403, code: 'FORBIDDEN', message: 'institution ml-2 is pending' });
    t.services.institutions.delete('ml-2');
    clock += 10_000;
    const gone = await t.as('ml-2', { method: 'GET', url: '/v1/catalog' });
    expect(errorOf(gone)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    t.services.institutions.set('ml-2', newInstitution('ml-2', ['microlender']));
    clock += 10_000;
  });

  it('caches institution status for the configured time', async () => {
    clock += 10_000;
    const before = t.services.callsOf('institutionStatus').length;
    await t.as('gua-1', { method: 'GET', url: '/v1/catalog' });
    await t.as('gua-1', { method: 'GET', url: '/v1/catalog' });
    expect(t.services.callsOf('institutionStatus').length - before).toBe(1);
    clock += 5_001;
    await t.as('gua-1', { method: 'GET', url: '/v1/catalog' });
    expect(t.services.callsOf('institutionStatus').length - before).toBe(2);
  });

  it('refuses the suspended institution immediately after the regulator suspends it', async () => {
    expect((await t.as('ml-1', { method: 'GET', url: '/v1/catalog' })).statusCode).toBe(200);
    const res = await t.as('reg-1', { method: 'POST', url: '/v1/institutions/ml-1/suspension', payload: { reason: 'fraud investigation' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'ml-1', status: 'suspended' });
    const after = await t.as('ml-1', { method: 'GET', url: '/v1/catalog' });
    expect(errorOf(after)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('maps a failing status lookup to 503 UNAVAILABLE and does not cache the failure', async () => {
    clock += 10_000;
    t.services.failNext('institutionStatus', new LedgerError(LedgerErrorCode.UNAVAILABLE, 'peer down'));
    const res = await t.as('gua-1', { method: 'GET', url: '/v1/catalog' });
    expect(errorOf(res)).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
    expect((await t.as('gua-1', { method: 'GET', url: '/v1/catalog' })).statusCode).toBe(200);
  });

  it('ignores keys on public routes unless they belong to a suspended institution', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/readyz', headers: { authorization: 'Bearer whatever-this-is' } });
    expect(res.statusCode).toBe(200);
  });
});

describe('route declarations', () => {
  it('refuses to register a /v1 route that declares no roles', async () => {
    const { default: Fastify } = await import('fastify');
    const { default: authPlugin } = await import('../../src/plugins/auth.js');
    const { createMemoryApiKeyStore } = await import('../../src/auth/api-key-store.js');
    const app = Fastify();
    await app.register(authPlugin, { apiKeys: createMemoryApiKeyStore([]), services: { institutionStatus: async () => 'active' }, statusCacheMs: 1000, now: Date.now, authFailures: { max: 10, windowMs: 60_000 } });
    expect(() => app.get('/v1/open-by-mistake', async () => ({ ok: true }))).toThrow(expect.objectContaining({ code: 'GW_CONFIG' }));
    expect(() => app.get('/v1/declared', { config: { roles: 'member' } }, async () => ({ ok: true }))).not.toThrow();
    await app.close();
  });
});
