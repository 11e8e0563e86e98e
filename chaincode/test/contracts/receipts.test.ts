import { beforeEach, describe, expect, it } from 'vitest';
import { Consortium, OTHER_SUBJECT, newConsortium, walletOf } from '../support/consortium.js';

describe('receipts', () => {
  let c: Consortium;
  let contractId: string;
  let consentId: string;
  beforeEach(async () => {
    c = await newConsortium();
    contractId = (await c.agree()).contractId;
    consentId = (await c.grant()).consentId;
  });

  const record = async (overrides: Parameters<Consortium['receipt']>[0] = {}, wallet = c.m.provider.wallet) =>
    JSON.stringify(await c.receipt({ contractId, consentId, ...overrides }, wallet));

  it('records a receipt from the product provider under a valid contract and consent', async () => {
    const r = await c.submit(c.m.provider, 'receipts:Record', await record());
    expect(r).toMatchObject({ contractId, consentId, provider: 'provider', consumer: 'lenderA', recordedAt: '2026-01-10T00:00:00.000Z' });
    expect(c.ledger.events.at(-1)).toMatchObject({ name: 'receipt_recorded', payload: { contractId, consentId, consumer: 'lenderA' } });
    const read = await c.evaluate(c.m.guarantor, 'receipts:Get', r.receiptId as string);
    expect(read).toEqual(r);
    expect(read.txId).toMatch(/^tx/);
  });

  it('returns the first receipt when the same one is recorded again; refuses a different one under the same id', async () => {
    const body = await record();
    const first = await c.submit(c.m.provider, 'receipts:Record', body);
    const events = c.ledger.events.length;
    c.ledger.advance(1000);
    expect(await c.submit(c.m.provider, 'receipts:Record', body)).toEqual(first);
    expect(c.ledger.events.length).toBe(events);
    const changed = await record({ receiptId: first.receiptId as string, outputHash: '0x' + '22'.repeat(32) });
    await c.expectDenied(c.m.provider, 'CC_CONFLICT', 'receipts:Record', changed);
  });

  it('refuses a caller that is not the product provider', async () => {
    await c.expectDenied(c.m.provider2, 'CC_FORBIDDEN', 'receipts:Record', await record({}, c.m.provider2.wallet));
  });

  it('refuses a foreign provider signature', async () => {
    await c.expectDenied(c.m.provider, 'CC_BAD_SIGNATURE', 'receipts:Record', await record({}, walletOf('mallory')));
  });

  it('refuses under a terminated or expired contract', async () => {
    await c.submit(c.m.lenderA, 'contracts:Terminate', contractId, 'x');
    await c.expectDenied(c.m.provider, 'CC_CONTRACT_INACTIVE', 'receipts:Record', await record());
    const short = await c.agree({ validUntil: c.nowSeconds + 10 });
    c.ledger.advance(10_000);
    await c.expectDenied(c.m.provider, 'CC_CONTRACT_EXPIRED', 'receipts:Record', await record({ contractId: short.contractId }));
    await c.expectDenied(c.m.provider, 'CC_NOT_FOUND', 'receipts:Record', await record({ contractId: 'ghost' }));
  });

  it('refuses a contract for another product', async () => {
    await c.expectDenied(c.m.provider, 'CC_CONTRACT_MISMATCH', 'receipts:Record', await record({ productId: 'check-1' }));
  });

  it('refuses a revoked, expired, foreign-grantee, wrong-purpose, wrong-subject or missing consent', async () => {
    const revoked = await c.grant();
    await c.submit(c.m.lenderA, 'consents:Revoke', revoked.consentId, await c.signRevocation(revoked.consentId));
    await c.expectDenied(c.m.provider, 'CC_CONSENT_REVOKED', 'receipts:Record', await record({ consentId: revoked.consentId }));
    const other = await c.grant({ grantee: 'lenderB' });
    await c.expectDenied(c.m.provider, 'CC_CONSENT_GRANTEE_MISMATCH', 'receipts:Record', await record({ consentId: other.consentId }));
    const purpose = await c.grant({ purpose: 'post_loan' });
    await c.expectDenied(c.m.provider, 'CC_CONSENT_PURPOSE_MISMATCH', 'receipts:Record', await record({ consentId: purpose.consentId }));
    const product = await c.grant({ products: ['check-1'] });
    await c.expectDenied(c.m.provider, 'CC_CONSENT_PRODUCT_MISMATCH', 'receipts:Record', await record({ consentId: product.consentId }));
    await c.expectDenied(c.m.provider, 'CC_CONSENT_SUBJECT_MISMATCH', 'receipts:Record', await record({ subjectToken: OTHER_SUBJECT }));
    await c.expectDenied(c.m.provider, 'CC_CONSENT_NOT_FOUND', 'receipts:Record', await record({ consentId: 'ghost' }));
    const shortConsent = await c.grant({ validUntil: c.nowSeconds + 5 });
    c.ledger.advance(5000);
    await c.expectDenied(c.m.provider, 'CC_CONSENT_EXPIRED', 'receipts:Record', await record({ consentId: shortConsent.consentId }));
  });

  it('throws on malformed receipts', async () => {
    const good = JSON.parse(await record()) as Record<string, unknown>;
    for (const bad of [{ outputHash: 'x' }, { subjectToken: '91350100M000100Y43' }, { signature: '0x00' }, { issuedAt: 'now' }, { extra: true }]) {
      await c.expectThrows(c.m.provider, 'CC_BAD_REQUEST', 'receipts:Record', JSON.stringify({ ...good, ...bad }));
    }
    await expect(c.ledger.evaluate(c.m.provider.identity, 'receipts:Get', ['ghost'])).rejects.toThrow(/^\[CC_NOT_FOUND\]/);
  });
});
