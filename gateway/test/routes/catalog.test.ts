import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, errorOf, type TestApp } from '../support/test-app.js';

const product = {
  id: 'alert-v1',
  name: 'Post-loan alert',
  kind: 'alert',
  classification: 3,
  policy: { purposes: ['post_loan'] },
  modelVersion: '0.9.0',
  outputSchema: { type: 'object' },
};

describe('/v1/catalog', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('lists products without their policy and reads one with it', async () => {
    const list = await t.as('ml-1', { method: 'GET', url: '/v1/catalog' });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({
      products: [{ id: 'risk-score-v1', provider: 'prov-1', name: 'SME risk score', kind: 'score', classification: 2, modelVersion: '1.0.0', status: 'active' }],
    });
    const one = await t.as('ml-1', { method: 'GET', url: '/v1/catalog/risk-score-v1' });
    expect(one.json()).toMatchObject({ id: 'risk-score-v1', policy: { purposes: ['pre_loan', 'in_loan'] } });
    expect(errorOf(await t.as('ml-1', { method: 'GET', url: '/v1/catalog/unknown' }))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('publishes a product for a provider (201), as that provider', async () => {
    const res = await t.as('prov-1', { method: 'POST', url: '/v1/catalog/products', payload: product });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ id: 'alert-v1', provider: 'prov-1', kind: 'alert', classification: 3, status: 'active' });
    expect(errorOf(await t.as('ml-1', { method: 'POST', url: '/v1/catalog/products', payload: { ...product, id: 'x' } }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('rejects a classification outside 1-4 and an unknown kind with 400', async () => {
    for (const bad of [{ classification: 5 }, { classification: 0 }, { kind: 'gossip' }]) {
      const res = await t.as('prov-1', { method: 'POST', url: '/v1/catalog/products', payload: { ...product, id: 'y', ...bad } });
      expect(errorOf(res)).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    }
  });

  it('lists a product on the exchange and refuses a certificate used by another product with 409', async () => {
    const listed = await t.as('ex-1', { method: 'POST', url: '/v1/catalog/risk-score-v1/listing', payload: { certificateNo: 'SZDE-2025-0001' } });
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toMatchObject({ id: 'risk-score-v1', listing: { exchange: 'ex-1', certificateNo: 'SZDE-2025-0001' } });
    expect((await t.as('ml-1', { method: 'GET', url: '/v1/catalog' })).json()).toMatchObject({ products: [{ listing: { certificateNo: 'SZDE-2025-0001' } }, {}] });

    const clash = await t.as('ex-1', { method: 'POST', url: '/v1/catalog/alert-v1/listing', payload: { certificateNo: 'SZDE-2025-0001' } });
    expect(errorOf(clash)).toMatchObject({ status: 409, code: 'CONFLICT' });
    expect(errorOf(await t.as('prov-1', { method: 'POST', url: '/v1/catalog/alert-v1/listing', payload: { certificateNo: 'C-2' } }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });
});
