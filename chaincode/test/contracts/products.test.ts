import { beforeEach, describe, expect, it } from 'vitest';
import { Consortium, HASH, newConsortium } from '../support/consortium.js';

describe('products', () => {
  let c: Consortium;
  beforeEach(async () => {
    c = await newConsortium();
  });
  const product = (overrides: Record<string, unknown> = {}) =>
    JSON.stringify({ id: 'report-1', name: 'SME report', kind: 'report', classification: 3, policy: {}, outputSchemaHash: HASH, modelVersion: '2.1', ...overrides });

  it('publishes a product owned by the calling provider', async () => {
    const p = await c.submit(c.m.provider, 'products:Publish', product());
    expect(p).toMatchObject({ id: 'report-1', provider: 'provider', kind: 'report', classification: 3, status: 'active', modelVersion: '2.1' });
    expect(c.ledger.events.at(-1)).toMatchObject({ name: 'product_published', payload: { productId: 'report-1', institution: 'provider' } });
    const list = await c.evaluate<{ id: string }[]>(c.m.lenderA, 'products:List');
    expect(list.map((x) => x.id)).toEqual(['check-1', 'report-1', 'score-1']);
  });

  it('refuses publication by a non-provider and duplicate ids', async () => {
    await c.expectDenied(c.m.lenderA, 'CC_FORBIDDEN', 'products:Publish', product());
    await c.expectDenied(c.m.provider2, 'CC_CONFLICT', 'products:Publish', product({ id: 'score-1' }));
  });

  it('throws on malformed products', async () => {
    for (const bad of [{ kind: 'oracle' }, { classification: 5 }, { classification: 0 }, { policy: [] }, { outputSchemaHash: '0x12' }, { id: '' }, { policy: { purposes: 'pre_loan' } }]) {
      await c.expectThrows(c.m.provider, 'CC_BAD_REQUEST', 'products:Publish', product(bad));
    }
  });

  it('updates the model version and delists, only by the owner', async () => {
    const u = await c.submit(c.m.provider, 'products:UpdateVersion', 'score-1', '1.1.0', '');
    expect(u).toMatchObject({ modelVersion: '1.1.0' });
    expect(c.ledger.events.at(-1)).toMatchObject({ name: 'product_updated' });
    await c.expectDenied(c.m.provider2, 'CC_FORBIDDEN', 'products:UpdateVersion', 'score-1', '9', '');
    await c.expectDenied(c.m.provider2, 'CC_FORBIDDEN', 'products:Delist', 'score-1');
    const d = await c.submit(c.m.provider, 'products:Delist', 'score-1');
    expect(d).toMatchObject({ status: 'delisted' });
    expect(c.ledger.events.at(-1)).toMatchObject({ name: 'product_delisted' });
    await c.expectDenied(c.m.provider, 'CC_PRODUCT_INACTIVE', 'products:UpdateVersion', 'score-1', '2', '');
    await c.expectDenied(c.m.provider, 'CC_NOT_FOUND', 'products:Delist', 'nothing');
  });

  it('lists on an exchange with a certificate number unique across products', async () => {
    const l = await c.submit(c.m.exchange, 'products:ListOnExchange', 'score-1', 'SZDE-2026-0001');
    expect(l).toMatchObject({ listing: { exchange: 'exchange', certificateNo: 'SZDE-2026-0001', listedAt: '2026-01-10T00:00:00.000Z' } });
    expect(c.ledger.events.at(-1)).toMatchObject({ name: 'product_listed', payload: { certificateNo: 'SZDE-2026-0001' } });
    await c.expectDenied(c.m.exchange, 'CC_CONFLICT', 'products:ListOnExchange', 'check-1', 'SZDE-2026-0001');
    await c.expectDenied(c.m.exchange, 'CC_CONFLICT', 'products:ListOnExchange', 'score-1', 'SZDE-2026-0002');
    await c.expectDenied(c.m.provider, 'CC_FORBIDDEN', 'products:ListOnExchange', 'check-1', 'SZDE-2026-0003');
    await c.expectDenied(c.m.exchange, 'CC_NOT_FOUND', 'products:ListOnExchange', 'nothing', 'SZDE-2026-0004');
    await c.submit(c.m.provider, 'products:Delist', 'check-1');
    await c.expectDenied(c.m.exchange, 'CC_PRODUCT_INACTIVE', 'products:ListOnExchange', 'check-1', 'SZDE-2026-0005');
    expect(await c.evaluate(c.m.bank, 'products:Get', 'score-1')).toMatchObject({ listing: { certificateNo: 'SZDE-2026-0001' } });
  });
});
