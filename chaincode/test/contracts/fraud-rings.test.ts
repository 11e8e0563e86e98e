import { beforeEach, describe, expect, it } from 'vitest';
import { Consortium, OTHER_SUBJECT, SUBJECT, newConsortium } from '../support/consortium.js';

const HASH = `0x${'ab'.repeat(32)}`;

describe('fraud-rings', () => {
  let c: Consortium;
  beforeEach(async () => {
    c = await newConsortium();
    const ring = { id: 'ring-1', name: 'Fraud rings', kind: 'ring', classification: 2, policy: { purposes: ['pre_loan', 'in_loan', 'post_loan', 'guarantee'] }, outputSchemaHash: HASH, modelVersion: '1.0.0' };
    await c.submit(c.m.provider, 'products:Publish', JSON.stringify(ring));
  });

  it('records a check under a consent for a ring product (any purpose), readable by the requester and the provider only', async () => {
    const consent = await c.grant({ products: ['ring-1'], purpose: 'in_loan' });
    const r = await c.submit(c.m.lenderA, 'fraud-rings:RequestCheck', 'rc-1', SUBJECT, consent.consentId);
    expect(r).toEqual({ checkId: 'rc-1', requestedAt: new Date(c.ledger.now).toISOString(), productId: 'ring-1', provider: 'provider', txId: expect.any(String), replayed: false });
    expect(c.ledger.events.at(-1)).toMatchObject({
      name: 'fraudring_checked',
      payload: { type: 'fraudring_checked', institution: 'lenderA', requester: 'lenderA', provider: 'provider', purpose: 'in_loan', subjectToken: SUBJECT, checkId: 'rc-1' },
    });
    const audit = await c.evaluate<{ events: { type: string }[] }>(c.m.regulator, 'audit:Events', JSON.stringify({ subject: SUBJECT, type: 'fraudring_checked' }));
    expect(audit.events).toHaveLength(1);
    for (const reader of [c.m.lenderA, c.m.provider, c.m.regulator]) {
      expect(await c.evaluate(reader, 'fraud-rings:GetCheck', 'rc-1')).toMatchObject({ checkId: 'rc-1', requester: 'lenderA', subjectToken: SUBJECT, productId: 'ring-1' });
    }
    for (const other of [c.m.lenderB, c.m.provider2]) {
      await expect(c.evaluate(other, 'fraud-rings:GetCheck', 'rc-1')).rejects.toThrow(/^\[CC_NOT_FOUND\] /);
    }
  });

  it('refuses a consent that covers no ring product, another grantee, another subject, a non-lender, a reused id and a delisted product', async () => {
    const checkOnly = await c.grant({ products: ['check-1'] });
    await c.expectDenied(c.m.lenderA, 'CC_CONSENT_PRODUCT_MISMATCH', 'fraud-rings:RequestCheck', 'rc-2', SUBJECT, checkOnly.consentId);
    const forB = await c.grant({ products: ['ring-1'], grantee: 'lenderB' }, c.m.lenderB);
    await c.expectDenied(c.m.lenderA, 'CC_CONSENT_GRANTEE_MISMATCH', 'fraud-rings:RequestCheck', 'rc-3', SUBJECT, forB.consentId);
    const good = await c.grant({ products: ['ring-1'] });
    await c.expectDenied(c.m.lenderA, 'CC_CONSENT_SUBJECT_MISMATCH', 'fraud-rings:RequestCheck', 'rc-4', OTHER_SUBJECT, good.consentId);
    await c.expectDenied(c.m.provider, 'CC_FORBIDDEN', 'fraud-rings:RequestCheck', 'rc-5', SUBJECT, good.consentId);
    await c.submit(c.m.lenderA, 'fraud-rings:RequestCheck', 'rc-6', SUBJECT, good.consentId);
    const other = await c.grant({ products: ['ring-1'] });
    await c.expectDenied(c.m.lenderA, 'CC_CONFLICT', 'fraud-rings:RequestCheck', 'rc-6', SUBJECT, other.consentId);
    await c.submit(c.m.provider, 'products:Delist', 'ring-1');
    await c.expectDenied(c.m.lenderA, 'CC_PRODUCT_INACTIVE', 'fraud-rings:RequestCheck', 'rc-7', SUBJECT, good.consentId);
  });

  it('answers a check id again from the same requester, subject and consent with the first result and records nothing; another use is CC_CONFLICT', async () => {
    const consent = await c.grant({ products: ['ring-1'] });
    const first = await c.submit(c.m.lenderA, 'fraud-rings:RequestCheck', 'idem:rc', SUBJECT, consent.consentId);
    expect(first).toMatchObject({ replayed: false, txId: expect.any(String) });
    const events = c.ledger.events.length;
    c.ledger.advance(60_000);
    // the consent was revoked since, yet the retry answers the first check
    await c.submit(c.m.lenderA, 'consents:Revoke', consent.consentId, await c.signRevocation(consent.consentId));
    const sizeAfterRevoke = c.ledger.size;
    const again = await c.submit(c.m.lenderA, 'fraud-rings:RequestCheck', 'idem:rc', SUBJECT, consent.consentId);
    expect(again).toEqual({ ...first, replayed: true });
    expect(c.ledger.size).toBe(sizeAfterRevoke);
    expect(c.ledger.events.length).toBe(events + 1);
    const audit = await c.evaluate<{ events: { checkId?: string }[] }>(c.m.regulator, 'audit:Events', JSON.stringify({ subject: SUBJECT, type: 'fraudring_checked' }));
    expect(audit.events.filter((e) => e.checkId === 'idem:rc')).toHaveLength(1);
    const other = await c.grant({ products: ['ring-1'] });
    await c.expectDenied(c.m.lenderA, 'CC_CONFLICT', 'fraud-rings:RequestCheck', 'idem:rc', SUBJECT, other.consentId);
    await c.expectDenied(c.m.lenderA, 'CC_CONFLICT', 'fraud-rings:RequestCheck', 'idem:rc', OTHER_SUBJECT, consent.consentId);
    const forB = await c.grant({ products: ['ring-1'], grantee: 'lenderB' }, c.m.lenderB);
    await c.expectDenied(c.m.lenderB, 'CC_CONFLICT', 'fraud-rings:RequestCheck', 'idem:rc', SUBJECT, forB.consentId);
  });
});
