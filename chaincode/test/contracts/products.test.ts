import { beforeEach, describe, expect, it } from 'vitest';
import { Consortium, HASH, identityOf, newConsortium, walletOf } from '../support/consortium.js';

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

  it('withdraws a listing only by the exchange that listed it, freeing its certificate number', async () => {
    await c.submit(c.m.regulator, 'institutions:Admit', JSON.stringify({ id: 'exchange2', name: 'exchange2 Ltd', roles: ['exchange'], signerAddress: walletOf('exchange2').address, ...identityOf('exchange2') }));
    await c.submit(c.m.exchange, 'products:ListOnExchange', 'score-1', 'SZDE-2026-0009');
    const other = { id: 'exchange2', identity: identityOf('exchange2'), wallet: walletOf('exchange2'), roles: ['exchange' as const] };
    await c.expectDenied(other, 'CC_FORBIDDEN', 'products:Unlist', 'score-1');
    await c.expectDenied(c.m.provider, 'CC_FORBIDDEN', 'products:Unlist', 'score-1');
    const u = await c.submit(c.m.exchange, 'products:Unlist', 'score-1');
    expect(u.listing).toBeUndefined();
    expect(c.ledger.events.at(-1)).toMatchObject({ name: 'product_unlisted', payload: { productId: 'score-1', certificateNo: 'SZDE-2026-0009', parties: ['exchange', 'provider'] } });
    await c.expectDenied(c.m.exchange, 'CC_INVALID_STATE', 'products:Unlist', 'score-1');
    await c.submit(other, 'products:ListOnExchange', 'score-1', 'SZDE-2026-0009');
  });

  it('sets a new output schema hash with a new version, or keeps it with an empty one', async () => {
    const h2 = '0x' + '22'.repeat(32);
    expect(await c.submit(c.m.provider, 'products:UpdateVersion', 'score-1', '2.0.0', h2)).toMatchObject({ modelVersion: '2.0.0', outputSchemaHash: h2 });
    expect(await c.submit(c.m.provider, 'products:UpdateVersion', 'score-1', '2.0.1', '')).toMatchObject({ modelVersion: '2.0.1', outputSchemaHash: h2 });
    await c.expectThrows(c.m.provider, 'CC_BAD_REQUEST', 'products:UpdateVersion', 'score-1', '3', 'nothex');
  });
});

