import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@xinlian/chaincode';
import { cc, tokenOf } from '../support/fake-services.js';
import { ADDRESS, buildTestApp, errorOf, SIGNATURE, USCC, type TestApp } from '../support/test-app.js';

const draft = { uscc: USCC[0], grantee: 'ml-1', products: ['risk-score-v1'], purpose: 'pre_loan', validUntil: '2030-01-01T00:00:00Z' };

describe('/v1/subjects and /v1/consents', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('registers a subject for the operator and answers only its token (201)', async () => {
    const res = await t.as('op-1', { method: 'POST', url: '/v1/subjects', payload: { uscc: USCC[1], signers: [ADDRESS] } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ subjectToken: tokenOf(USCC[1]) });
    expect(res.body).not.toContain(USCC[1]);
    expect(errorOf(await t.as('ml-1', { method: 'POST', url: '/v1/subjects', payload: { uscc: USCC[1], signers: [ADDRESS] } }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('drafts, grants, reads and revokes a consent', async () => {
    const drafted = await t.as('ml-1', { method: 'POST', url: '/v1/consents/draft', payload: draft });
    expect(drafted.statusCode).toBe(200);
    const { typedData } = drafted.json() as { typedData: { domain: object; types: object; primaryType: string; message: Record<string, unknown> } };
    expect(typedData).toMatchObject({ domain: { name: 'xinlian', version: '1' }, primaryType: 'Consent' });
    expect(typedData.types).toHaveProperty('Consent');

    const granted = await t.as('ml-1', { method: 'POST', url: '/v1/consents', payload: { message: typedData.message, signature: SIGNATURE } });
    expect(granted.statusCode).toBe(201);
    const { consentId, txId } = granted.json() as { consentId: string; txId: string };
    expect(consentId).toBe(typedData.message['consentId']);
    expect(txId).toMatch(/^tx-/);

    const read = await t.as('ml-1', { method: 'GET', url: `/v1/consents/${consentId}` });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual({ consentId, grantee: 'ml-1', products: ['risk-score-v1'], purpose: 'pre_loan', validUntil: '2030-01-01T00:00:00.000Z', status: 'active' });

    const revocationDraft = await t.as('ml-1', { method: 'POST', url: `/v1/consents/${consentId}/revocation/draft` });
    expect(revocationDraft.statusCode).toBe(200);
    expect(revocationDraft.json()).toMatchObject({ typedData: { primaryType: 'ConsentRevocation', message: { consentId } } });

    const revoked = await t.as('ml-1', { method: 'POST', url: `/v1/consents/${consentId}/revocation`, payload: { signature: SIGNATURE } });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'revoked' });
    expect(t.services.callsOf('revokeConsent').at(-1)?.args).toEqual([consentId, SIGNATURE]);
    expect((await t.as('ml-1', { method: 'GET', url: `/v1/consents/${consentId}` })).json()).toMatchObject({ status: 'revoked' });
  });

  it('accepts EIP-712 uint64 times as decimal strings', async () => {
    const message = { consentId: 'c-str', subjectToken: tokenOf(USCC[0]), grantee: 'ml-1', products: ['risk-score-v1'], purpose: 'in_loan', validUntil: '1900000000', issuedAt: '1735689600' };
    const res = await t.as('ml-1', { method: 'POST', url: '/v1/consents', payload: { message, signature: SIGNATURE } });
    expect(res.statusCode).toBe(201);
  });

  it('answers 422 CONSENT_INVALID when the signer is not registered for the subject', async () => {
    t.services.failNext('grantConsent', cc(ErrorCode.BAD_SIGNATURE, '0xabc is not a signer of the subject'));
    const message = { consentId: 'c-bad', subjectToken: tokenOf(USCC[0]), grantee: 'ml-1', products: ['risk-score-v1'], purpose: 'pre_loan', validUntil: 1_900_000_000, issuedAt: 1_735_689_600 };
    const res = await t.as('ml-1', { method: 'POST', url: '/v1/consents', payload: { message, signature: SIGNATURE } });
    expect(errorOf(res)).toEqual({ status: 422, code: 'CONSENT_INVALID', message: '0xabc is not a signer of the subject' });
  });

  it('answers 404 NOT_FOUND for an unknown consent', async () => {
    expect(errorOf(await t.as('ml-1', { method: 'GET', url: '/v1/consents/nope' }))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(errorOf(await t.as('ml-1', { method: 'POST', url: '/v1/consents/nope/revocation/draft' }))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});
