import { beforeEach, describe, expect, it } from 'vitest';
import { Consortium, OTHER_SUBJECT, SUBJECT, newConsortium, walletOf } from '../support/consortium.js';

describe('consents', () => {
  let c: Consortium;
  beforeEach(async () => {
    c = await newConsortium();
  });

  const grantArgs = async (overrides: Parameters<Consortium['consentMessage']>[0] = {}) => {
    const m = c.consentMessage(overrides);
    return [JSON.stringify(m), await c.signConsent(m)] as const;
  };

  it('records a consent signed by a registered signer', async () => {
    const m = c.consentMessage();
    const consent = await c.submit(c.m.lenderA, 'consents:Grant', JSON.stringify(m), await c.signConsent(m));
    expect(consent).toMatchObject({
      consentId: m.consentId,
      grantee: 'lenderA',
      purpose: 'pre_loan',
      status: 'active',
      signer: c.subjectWallet.address,
      validUntil: new Date(m.validUntil * 1000).toISOString(),
      grantedBy: 'lenderA',
    });
    expect(c.ledger.events.at(-1)).toMatchObject({ name: 'consent_granted', payload: { consentId: m.consentId, grantee: 'lenderA' } });
    expect(await c.evaluate(c.m.lenderA, 'consents:Get', m.consentId)).toMatchObject({ consentId: m.consentId });
  });

  it('lets only the grantee, the providers of covered products and regulators read or check a consent', async () => {
    const m = await c.grant({ products: ['score-1'] });
    for (const reader of [c.m.lenderA, c.m.provider, c.m.regulator]) {
      expect(await c.evaluate(reader, 'consents:Get', m.consentId)).toMatchObject({ consentId: m.consentId });
    }
    for (const other of [c.m.bank, c.m.lenderB, c.m.provider2, c.m.operator]) {
      // indistinguishable from a consent that does not exist
      await expect(c.ledger.evaluate(other.identity, 'consents:Get', [m.consentId])).rejects.toThrow(`[CC_NOT_FOUND] consent ${m.consentId} not found`);
      await expect(c.ledger.evaluate(other.identity, 'consents:Get', ['ghost'])).rejects.toThrow('[CC_NOT_FOUND] consent ghost not found');
      expect(await c.evaluate(other, 'consents:Check', m.consentId, 'lenderA', 'score-1', 'pre_loan', '2026-01-10T00:00:00Z')).toEqual({ valid: false, code: 'CC_CONSENT_NOT_FOUND' });
    }
    expect(await c.evaluate(c.m.provider, 'consents:Check', m.consentId, 'lenderA', 'score-1', 'pre_loan', '2026-01-10T00:00:00Z')).toEqual({ valid: true });
  });

  it('refuses a foreign or bad signature', async () => {
    const m = c.consentMessage();
    await c.expectDenied(c.m.lenderA, 'CC_BAD_SIGNATURE', 'consents:Grant', JSON.stringify(m), await c.signConsent(m, walletOf('mallory')));
    // signed over different content
    const sig = await c.signConsent(m);
    await c.expectDenied(c.m.lenderA, 'CC_BAD_SIGNATURE', 'consents:Grant', JSON.stringify({ ...m, purpose: 'in_loan' }), sig);
    // not a valid secp256k1 signature (v byte 0x05)
    await c.expectDenied(c.m.lenderA, 'CC_BAD_SIGNATURE', 'consents:Grant', JSON.stringify(m), sig.slice(0, -2) + '05');
    await c.expectThrows(c.m.lenderA, 'CC_BAD_REQUEST', 'consents:Grant', JSON.stringify(m), '0x1234');
  });

  it('refuses unknown subjects, inactive grantees, missing or delisted products, expired validity', async () => {
    await c.expectDenied(c.m.lenderA, 'CC_NOT_FOUND', 'consents:Grant', ...(await grantArgs({ subjectToken: OTHER_SUBJECT })));
    await c.expectDenied(c.m.lenderA, 'CC_NOT_FOUND', 'consents:Grant', ...(await grantArgs({ grantee: 'nobody' })));
    await c.submit(c.m.regulator, 'institutions:Suspend', 'lenderB', 'x');
    await c.expectDenied(c.m.lenderA, 'CC_INSTITUTION_INACTIVE', 'consents:Grant', ...(await grantArgs({ grantee: 'lenderB' })));
    await c.expectDenied(c.m.lenderA, 'CC_NOT_FOUND', 'consents:Grant', ...(await grantArgs({ products: ['ghost'] })));
    await c.submit(c.m.provider, 'products:Delist', 'check-1');
    await c.expectDenied(c.m.lenderA, 'CC_PRODUCT_INACTIVE', 'consents:Grant', ...(await grantArgs()));
    await c.expectDenied(c.m.lenderA, 'CC_CONSENT_EXPIRED', 'consents:Grant', ...(await grantArgs({ products: ['score-1'], validUntil: c.nowSeconds, issuedAt: c.nowSeconds - 10 })));
  });

  it('refuses another message under a used consent id', async () => {
    const first = await c.grant();
    await c.expectDenied(c.m.lenderA, 'CC_CONFLICT', 'consents:Grant', ...(await grantArgs({ consentId: first.consentId, purpose: 'post_loan' })));
  });

  it('answers the same grant again (same caller, message and signature) with the first, recording nothing', async () => {
    const m = c.consentMessage();
    const args = [JSON.stringify(m), await c.signConsent(m)] as const;
    const first = await c.submit<{ txId: string }>(c.m.lenderA, 'consents:Grant', ...args);
    const size = c.ledger.size;
    const again = await c.submit(c.m.lenderA, 'consents:Grant', ...args);
    expect(again).toEqual(first);
    expect(c.ledger.size).toBe(size);
    // another institution submitting the same signed grant is no retry
    await c.expectDenied(c.m.lenderB, 'CC_CONFLICT', 'consents:Grant', ...args);
  });

  it('throws on malformed consent messages', async () => {
    const sig = await c.signConsent(c.consentMessage());
    for (const bad of [{ purpose: 'fun' }, { subjectToken: '91440300708461136T' }, { products: [] }, { validUntil: -1 }, { validUntil: 1.5 }, { issuedAt: 9e15 }, { grantee: 'a~b' }]) {
      await c.expectThrows(c.m.lenderA, 'CC_BAD_REQUEST', 'consents:Grant', JSON.stringify(c.consentMessage(bad as never)), sig);
    }
    const m = c.consentMessage({ issuedAt: c.nowSeconds + 100, validUntil: c.nowSeconds + 50 });
    await c.expectThrows(c.m.lenderA, 'CC_BAD_REQUEST', 'consents:Grant', JSON.stringify(m), await c.signConsent(m));
    await c.expectThrows(c.m.lenderA, 'CC_BAD_REQUEST', 'consents:Grant', JSON.stringify({ ...m, extra: 1 }), await c.signConsent(m));
  });

  it('revokes with the subject signer signature, once', async () => {
    const m = await c.grant();
    await c.expectDenied(c.m.lenderA, 'CC_BAD_SIGNATURE', 'consents:Revoke', m.consentId, await c.signRevocation(m.consentId, walletOf('mallory')));
    await c.expectDenied(c.m.lenderA, 'CC_BAD_SIGNATURE', 'consents:Revoke', m.consentId, await c.signRevocation('other-id'));
    const revoked = await c.submit(c.m.operator, 'consents:Revoke', m.consentId, await c.signRevocation(m.consentId));
    expect(revoked).toMatchObject({ status: 'revoked', revokedAt: '2026-01-10T00:00:00.000Z', revokedBy: 'operator' });
    expect(c.ledger.events.at(-1)).toMatchObject({ name: 'consent_revoked', payload: { consentId: m.consentId } });
    await c.expectDenied(c.m.lenderA, 'CC_CONSENT_REVOKED', 'consents:Revoke', m.consentId, await c.signRevocation(m.consentId));
    await c.expectDenied(c.m.lenderA, 'CC_CONSENT_NOT_FOUND', 'consents:Revoke', 'ghost', await c.signRevocation('ghost'));
  });

  describe('Check', () => {
    const check = (cc: Consortium, id: string, grantee = 'lenderA', product = 'score-1', purpose = 'pre_loan', at = '2026-01-10T00:00:00Z') =>
      cc.evaluate<{ valid: boolean; code?: string }>(cc.m.provider, 'consents:Check', id, grantee, product, purpose, at);

    it('is valid for the grantee, product and purpose within the validity', async () => {
      const m = await c.grant();
      expect(await check(c, m.consentId)).toEqual({ valid: true });
    });

    it('reports why a consent does not allow a use', async () => {
      const m = await c.grant();
      expect(await check(c, m.consentId, 'lenderB')).toEqual({ valid: false, code: 'CC_CONSENT_GRANTEE_MISMATCH' });
      expect(await check(c, m.consentId, 'lenderA', 'other')).toEqual({ valid: false, code: 'CC_CONSENT_PRODUCT_MISMATCH' });
      expect(await check(c, m.consentId, 'lenderA', 'score-1', 'guarantee')).toEqual({ valid: false, code: 'CC_CONSENT_PURPOSE_MISMATCH' });
      expect(await check(c, m.consentId, 'lenderA', 'score-1', 'pre_loan', '2027-01-01T00:00:00Z')).toEqual({ valid: false, code: 'CC_CONSENT_EXPIRED' });
      expect(await check(c, m.consentId, 'lenderA', 'score-1', 'pre_loan', '2025-01-01T00:00:00Z')).toEqual({ valid: false, code: 'CC_CONSENT_NOT_YET_VALID' });
      expect(await check(c, 'ghost')).toEqual({ valid: false, code: 'CC_CONSENT_NOT_FOUND' });
    });

    it('is invalid from the revocation time on, valid before it', async () => {
      const m = await c.grant();
      c.ledger.advance(3600_000);
      await c.submit(c.m.lenderA, 'consents:Revoke', m.consentId, await c.signRevocation(m.consentId));
      expect(await check(c, m.consentId, 'lenderA', 'score-1', 'pre_loan', '2026-01-10T01:00:00Z')).toEqual({ valid: false, code: 'CC_CONSENT_REVOKED' });
      expect(await check(c, m.consentId, 'lenderA', 'score-1', 'pre_loan', '2026-01-10T00:30:00Z')).toEqual({ valid: true });
    });

    it('throws on malformed arguments', async () => {
      await expect(c.ledger.evaluate(c.m.bank.identity, 'consents:Check', ['c', 'lenderA', 'score-1', 'pre_loan', 'yesterday'])).rejects.toThrow(/^\[CC_BAD_REQUEST\]/);
      await expect(c.ledger.evaluate(c.m.bank.identity, 'consents:Check', ['c', 'lenderA', 'score-1', 'x', '2026-01-01T00:00:00Z'])).rejects.toThrow(/^\[CC_BAD_REQUEST\]/);
    });
  });

  it('never stores a plain subject identifier', async () => {
    await c.grant();
    const values = [...c.ledger.world.state.values()].map((v) => new TextDecoder().decode(v));
    expect(values.some((v) => v.includes(SUBJECT))).toBe(true);
    expect(values.some((v) => /\b9[0-9A-HJ-NPQRTUWXY]{17}\b/.test(v))).toBe(false);
  });
});
