import { beforeEach, describe, expect, it } from 'vitest';
import { Consortium, HASH, newConsortium, walletOf } from '../support/consortium.js';

describe('usage contracts', () => {
  let c: Consortium;
  beforeEach(async () => {
    c = await newConsortium();
  });

  const agreeArgs = async (overrides: Parameters<Consortium['agreement']>[0] = {}, providerWallet = c.m.provider.wallet, consumerWallet = c.m.lenderA.wallet) => {
    const a = c.agreement(overrides);
    return [JSON.stringify(a), await c.signAgreement(a, providerWallet), await c.signAgreement(a, consumerWallet)] as const;
  };

  it('records an agreement signed by both parties', async () => {
    const [a, ps, cs] = await agreeArgs();
    const contract = await c.submit(c.m.provider, 'contracts:Agree', a, ps, cs);
    expect(contract).toMatchObject({ provider: 'provider', consumer: 'lenderA', productId: 'score-1', status: 'active', policyHash: HASH, maxUses: 100 });
    expect(c.ledger.events.at(-1)).toMatchObject({ name: 'contract_agreed', payload: { institution: 'provider', consumer: 'lenderA' } });
  });

  it('refuses when either signature is foreign', async () => {
    await c.expectDenied(c.m.lenderA, 'CC_BAD_SIGNATURE', 'contracts:Agree', ...(await agreeArgs({}, walletOf('mallory'))));
    await c.expectDenied(c.m.lenderA, 'CC_BAD_SIGNATURE', 'contracts:Agree', ...(await agreeArgs({}, c.m.provider.wallet, c.m.lenderB.wallet)));
  });

  it('refuses a caller that is not a party', async () => {
    await c.expectDenied(c.m.lenderB, 'CC_FORBIDDEN', 'contracts:Agree', ...(await agreeArgs()));
  });

  it('refuses a product the provider does not own, or a delisted one', async () => {
    await c.expectDenied(c.m.lenderA, 'CC_CONTRACT_MISMATCH', 'contracts:Agree', ...(await agreeArgs({ provider: 'provider2' }, c.m.provider2.wallet)));
    await c.expectDenied(c.m.lenderA, 'CC_NOT_FOUND', 'contracts:Agree', ...(await agreeArgs({ productId: 'ghost' })));
    await c.submit(c.m.provider, 'products:Delist', 'score-1');
    await c.expectDenied(c.m.lenderA, 'CC_PRODUCT_INACTIVE', 'contracts:Agree', ...(await agreeArgs()));
  });

  it('refuses a purpose the product policy does not list', async () => {
    await c.expectDenied(c.m.lenderA, 'CC_PURPOSE_NOT_ALLOWED', 'contracts:Agree', ...(await agreeArgs({ purpose: 'guarantee' })));
  });

  it('refuses an inactive consumer, a past validity and a duplicate id', async () => {
    await c.submit(c.m.regulator, 'institutions:Suspend', 'lenderB', 'x');
    await c.expectDenied(c.m.provider, 'CC_INSTITUTION_INACTIVE', 'contracts:Agree', ...(await agreeArgs({ consumer: 'lenderB' }, c.m.provider.wallet, c.m.lenderB.wallet)));
    await c.expectDenied(c.m.provider, 'CC_CONTRACT_EXPIRED', 'contracts:Agree', ...(await agreeArgs({ validUntil: c.nowSeconds })));
    const first = await c.agree();
    await c.expectDenied(c.m.provider, 'CC_CONFLICT', 'contracts:Agree', ...(await agreeArgs({ contractId: first.contractId })));
  });

  it('throws on malformed agreements', async () => {
    const [, ps, cs] = await agreeArgs();
    for (const bad of [{ purpose: 'x' }, { maxUses: -1 }, { ratePerMinute: 2 ** 32 }, { policyHash: 'abc' }, { consumer: 'provider' }]) {
      await c.expectThrows(c.m.provider, 'CC_BAD_REQUEST', 'contracts:Agree', JSON.stringify(c.agreement(bad as never)), ps, cs);
    }
    await c.expectThrows(c.m.provider, 'CC_BAD_REQUEST', 'contracts:Agree', JSON.stringify(c.agreement()), ps, 'nope');
  });

  it('terminates by either party, once; others are refused', async () => {
    const a = await c.agree();
    await c.expectDenied(c.m.lenderB, 'CC_FORBIDDEN', 'contracts:Terminate', a.contractId, 'no');
    const t = await c.submit(c.m.lenderA, 'contracts:Terminate', a.contractId, 'done');
    expect(t).toMatchObject({ status: 'terminated', terminatedBy: 'lenderA', terminationReason: 'done' });
    expect(c.ledger.events.at(-1)).toMatchObject({ name: 'contract_terminated' });
    await c.expectDenied(c.m.provider, 'CC_CONTRACT_INACTIVE', 'contracts:Terminate', a.contractId, 'again');
    await c.expectDenied(c.m.provider, 'CC_NOT_FOUND', 'contracts:Terminate', 'ghost', 'x');
  });

  it('reads as expired once past validUntil', async () => {
    const a = await c.agree({ validUntil: c.nowSeconds + 60 });
    expect(await c.evaluate(c.m.lenderA, 'contracts:Get', a.contractId)).toMatchObject({ status: 'active' });
    c.ledger.advance(60_000);
    expect(await c.evaluate(c.m.regulator, 'contracts:Get', a.contractId)).toMatchObject({ status: 'expired' });
    await c.expectDenied(c.m.provider, 'CC_CONTRACT_EXPIRED', 'contracts:Terminate', a.contractId, 'late');
  });
});
