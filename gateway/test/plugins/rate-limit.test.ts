import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, errorOf, type TestApp } from '../support/test-app.js';

describe('per-key rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ rateLimit: { max: 3, timeWindowMs: 60_000 } });
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('answers 429 RATE_LIMITED once a key exceeds its budget, counting per key', async () => {
    for (let i = 0; i < 3; i++) expect((await t.as('ml-1', { method: 'GET', url: '/v1/catalog' })).statusCode).toBe(200);
    const limited = await t.as('ml-1', { method: 'GET', url: '/v1/catalog' });
    expect(errorOf(limited)).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(limited.headers['retry-after']).toBeDefined();
    expect(t.services.callsOf('listProducts')).toHaveLength(3);
    // another key of another institution still has its budget
    expect((await t.as('ml-2', { method: 'GET', url: '/v1/catalog' })).statusCode).toBe(200);
  });

  it('does not limit public routes', async () => {
    for (let i = 0; i < 5; i++) expect((await t.as(undefined, { method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
