import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenOf } from '../support/fake-services.js';
import { buildTestApp, errorOf, SIGNATURE, USCC, type TestApp } from '../support/test-app.js';

const events = [
  { uscc: USCC[0], type: 'application', occurredAt: '2025-03-01T08:00:00Z' },
  { uscc: USCC[1], type: 'loan', amount: 5_000_000, occurredAt: '2025-03-02T08:00:00Z' },
];

describe('/v1/lending-events and /v1/multi-lending/check', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('records a batch for microlenders, banks and guarantors (201)', async () => {
    for (const caller of ['ml-1', 'gua-1']) {
      const res = await t.as(caller, { method: 'POST', url: '/v1/lending-events', payload: { events } });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ accepted: 2, txIds: [expect.any(String)] });
    }
    expect(t.services.callsOf('recordLendingEvents')[0]?.args[0]).toEqual(events);
  });

  it('refuses lending events from other roles with 403 FORBIDDEN', async () => {
    for (const caller of ['ex-1', 'prov-1', 'reg-1']) {
      expect(errorOf(await t.as(caller, { method: 'POST', url: '/v1/lending-events', payload: { events } }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    }
  });

  it('rejects a batch over the maximum size with 400', async () => {
    const many = Array.from({ length: 1001 }, () => events[0]);
    expect(errorOf(await t.as('ml-1', { method: 'POST', url: '/v1/lending-events', payload: { events: many } }))).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
  });

  it('passes an application\'s attributes to the services; refuses them on any other type, unknown kinds and empty values with 400 before any call', async () => {
    const withAttributes = [{ ...events[0], attributes: { phone: '13800138000', device: 'dev-1' } }];
    expect((await t.as('ml-1', { method: 'POST', url: '/v1/lending-events', payload: { events: withAttributes } })).statusCode).toBe(201);
    expect(t.services.callsOf('recordLendingEvents').at(-1)?.args[0]).toEqual(withAttributes);
    const calls = t.services.callsOf('recordLendingEvents').length;
    for (const bad of [
      [events[0], { ...events[1], attributes: { phone: '13800138000' } }],
      [{ ...events[0], attributes: { email: 'a@b.cn' } }],
      [{ ...events[0], attributes: { phone: '' } }],
      [{ ...events[0], attributes: { phone: 'x'.repeat(257) } }],
      [{ ...events[0], attributes: {} }],
    ]) {
      expect(errorOf(await t.as('ml-1', { method: 'POST', url: '/v1/lending-events', payload: { events: bad } }))).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    }
    expect(t.services.callsOf('recordLendingEvents')).toHaveLength(calls);
  });

  it('answers a check with counts per window under a pre_loan consent', async () => {
    const message = { consentId: 'c-ml', subjectToken: tokenOf(USCC[0]), grantee: 'ml-1', products: ['multi-lending'], purpose: 'pre_loan', validUntil: 1_900_000_000, issuedAt: 1_735_689_600 };
    expect((await t.as('ml-1', { method: 'POST', url: '/v1/consents', payload: { message, signature: SIGNATURE } })).statusCode).toBe(201);
    const res = await t.as('ml-1', { method: 'POST', url: '/v1/multi-lending/check', payload: { uscc: USCC[0], consentId: 'c-ml' } });
    expect(res.statusCode).toBe(200);
    const body = res.json() as Record<string, unknown>;
    expect(body).toMatchObject({ windows: { '7d': { institutions: 1, applications: 2 }, '30d': {}, '90d': {} }, overdueInstitutions: 0, openLoans: 1, alert: false });
    expect(body['checkId']).toEqual(expect.any(String));
    expect(body['txId']).toEqual(expect.any(String));
    expect(res.body).not.toContain(USCC[0]);
  });

  it('answers 422 CONSENT_INVALID without a valid consent', async () => {
    const res = await t.as('ml-2', { method: 'POST', url: '/v1/multi-lending/check', payload: { uscc: USCC[0], consentId: 'c-ml' } });
    expect(errorOf(res)).toMatchObject({ status: 422, code: 'CONSENT_INVALID' });
  });
});
