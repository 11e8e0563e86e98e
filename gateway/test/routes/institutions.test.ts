import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, buildTestApp, errorOf, type TestApp } from '../support/test-app.js';

const admission = { id: 'bank-9', name: 'Bank Nine', roles: ['bank'], signerAddress: ADDRESS };

describe('/v1/institutions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('lists institutions with id, name, roles and status for any member', async () => {
    const res = await t.as('gua-1', { method: 'GET', url: '/v1/institutions' });
    expect(res.statusCode).toBe(200);
    const { institutions } = res.json() as { institutions: { id: string }[] };
    expect(institutions).toContainEqual({ id: 'susp-1', name: 'susp-1 Ltd', roles: ['microlender'], status: 'suspended' });
  });

  it('admits an institution when the regulator asks (201)', async () => {
    const res = await t.as('reg-1', { method: 'POST', url: '/v1/institutions', payload: admission });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ id: 'bank-9', name: 'Bank Nine', roles: ['bank'], status: 'active', signerAddress: ADDRESS });
    expect(t.services.callsOf('admitInstitution')[0]?.args[0]).toEqual(admission);
  });

  it('answers 409 CONFLICT for an id already admitted', async () => {
    const res = await t.as('reg-1', { method: 'POST', url: '/v1/institutions', payload: { ...admission, id: 'ml-1' } });
    expect(errorOf(res)).toMatchObject({ status: 409, code: 'CONFLICT', message: 'institution ml-1 already exists' });
  });

  it('refuses admission and suspension to non-regulators with 403 FORBIDDEN', async () => {
    for (const caller of ['op-1', 'ml-1', 'ex-1']) {
      expect(errorOf(await t.as(caller, { method: 'POST', url: '/v1/institutions', payload: admission }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(errorOf(await t.as(caller, { method: 'POST', url: '/v1/institutions/ml-2/suspension' }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    }
  });

  it('rejects a duplicate role or an unknown role with 400', async () => {
    for (const roles of [['bank', 'bank'], ['king'], []]) {
      const res = await t.as('reg-1', { method: 'POST', url: '/v1/institutions', payload: { ...admission, roles } });
      expect(errorOf(res)).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    }
  });

  it('suspends without a body, passing a default reason', async () => {
    const res = await t.as('reg-1', { method: 'POST', url: '/v1/institutions/gua-1/suspension' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'gua-1', status: 'suspended' });
    expect(t.services.callsOf('suspendInstitution').at(-1)?.args).toEqual(['gua-1', 'suspended by the regulator']);
  });

  it('answers 404 NOT_FOUND when suspending an unknown institution', async () => {
    const res = await t.as('reg-1', { method: 'POST', url: '/v1/institutions/nobody/suspension', payload: { reason: 'x' } });
    expect(errorOf(res)).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});
