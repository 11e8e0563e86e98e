import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, errorOf, USCC, type TestApp } from '../support/test-app.js';

const answer = { checkId: 'ring-1', txId: 'ab'.repeat(32), inRing: true, ring: { ringId: 'ring-0123456789abcdef', size: 4, sharedAttributes: ['phone', 'address'], lenders30d: 4, applications30d: 7, riskScore: 68 }, alert: true };

describe('/v1/fraud-rings/check', () => {
  let t: TestApp;
  const calls: unknown[][] = [];
  beforeAll(async () => {
    t = await buildTestApp();
    Object.assign(t.services, {
      checkFraudRing: async (...args: unknown[]) => {
        calls.push(args);
        return answer;
      },
    });
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('answers microlenders and guarantors with the ring summary', async () => {
    for (const caller of ['ml-1', 'gua-1']) {
      const res = await t.as(caller, { method: 'POST', url: '/v1/fraud-rings/check', payload: { uscc: USCC[0], consentId: 'c-1' } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual(answer);
    }
    expect(calls[0]?.[1]).toEqual({ uscc: USCC[0], consentId: 'c-1' });
  });

  it('refuses other roles with 403 FORBIDDEN and a malformed uscc with 400', async () => {
    for (const caller of ['ex-1', 'prov-1', 'reg-1']) {
      expect(errorOf(await t.as(caller, { method: 'POST', url: '/v1/fraud-rings/check', payload: { uscc: USCC[0], consentId: 'c-1' } }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    }
    expect(errorOf(await t.as('ml-1', { method: 'POST', url: '/v1/fraud-rings/check', payload: { uscc: USCC[0].slice(0, 17), consentId: 'c-1' } }))).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
  });
});
