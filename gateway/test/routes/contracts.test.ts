import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenOf } from '../support/fake-services.js';
import { buildTestApp, errorOf, SIGNATURE, USCC, type TestApp } from '../support/test-app.js';

describe('/v1/contracts and /v1/risk-reports', () => {
  let t: TestApp;
  let contractId: string;
  const consentId = 'consent-rr';
  beforeAll(async () => {
    t = await buildTestApp();
    const message = { consentId, subjectToken: tokenOf(USCC[0]), grantee: 'ml-1', products: ['risk-score-v1'], purpose: 'pre_loan', validUntil: 1_900_000_000, issuedAt: 1_735_689_600 };
    expect((await t.as('ml-1', { method: 'POST', url: '/v1/consents', payload: { message, signature: SIGNATURE } })).statusCode).toBe(201);
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('agrees a contract with the provider (201, status active) and reads it back', async () => {
    const res = await t.as('ml-1', { method: 'POST', url: '/v1/contracts', payload: { productId: 'risk-score-v1', purpose: 'pre_loan' } });
    expect(res.statusCode).toBe(201);
    const contract = res.json() as Record<string, string>;
    expect(contract).toMatchObject({ provider: 'prov-1', consumer: 'ml-1', productId: 'risk-score-v1', purpose: 'pre_loan', status: 'active' });
    expect(contract['validUntil']).toEqual(expect.any(String));
    contractId = contract['contractId']!;
    const read = await t.as('ml-1', { method: 'GET', url: `/v1/contracts/${contractId}` });
    expect(read.json()).toEqual(contract);
    expect(errorOf(await t.as('ml-1', { method: 'GET', url: '/v1/contracts/none' }))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('answers 403 POLICY_DENIED with the deciding rule when the policy refuses', async () => {
    const res = await t.as('ml-1', { method: 'POST', url: '/v1/contracts', payload: { productId: 'risk-score-v1', purpose: 'guarantee', validUntil: '2026-01-01T00:00:00Z' } });
    expect(errorOf(res)).toEqual({ status: 403, code: 'POLICY_DENIED', message: 'purpose guarantee not allowed', rule: 'purpose-allowed' });
  });

  it('answers 503 UNAVAILABLE when the provider cannot be reached', async () => {
    t.services.failNext('agreeContract', Object.assign(new Error('dial timeout to 12D3KooW...'), { code: 'CONN_PEER_UNAVAILABLE' }));
    const res = await t.as('ml-1', { method: 'POST', url: '/v1/contracts', payload: { productId: 'risk-score-v1', purpose: 'pre_loan' } });
    expect(errorOf(res)).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
  });

  it('delivers a risk report with its receipt', async () => {
    const res = await t.as('ml-1', { method: 'POST', url: '/v1/risk-reports', payload: { contractId, consentId, uscc: USCC[0] } });
    expect(res.statusCode).toBe(200);
    const { report, receipt } = res.json() as { report: Record<string, unknown>; receipt: Record<string, unknown> };
    expect(report).toMatchObject({ productId: 'risk-score-v1', subjectToken: tokenOf(USCC[0]), score: 712, grade: 'B', modelVersion: '1.0.0' });
    expect(Object.keys(report['dimensions'] as object).sort()).toEqual(['basicInfo', 'businessCondition', 'creditHistory', 'operationalStability', 'repaymentCapacity']);
    expect(Object.keys(receipt).sort()).toEqual(['consentId', 'contractId', 'outputHash', 'provider', 'receiptId', 'signature', 'txId']);
    expect(t.services.callsOf('requestRiskReport').at(-1)).toMatchObject({ caller: { institutionId: 'ml-1' }, args: [{ contractId, consentId, uscc: USCC[0] }, {}] });
  });

  it('answers 422 CONTRACT_INVALID when the contract is no longer active', async () => {
    t.services.failNext('requestRiskReport', Object.assign(new Error('[CC_CONTRACT_EXPIRED] contract expired at 2025-01-01'), { code: 'CC_CONTRACT_EXPIRED', name: 'ChaincodeError', recorded: true }));
    const res = await t.as('ml-1', { method: 'POST', url: '/v1/risk-reports', payload: { contractId, consentId, uscc: USCC[0] } });
    expect(errorOf(res)).toEqual({ status: 422, code: 'CONTRACT_INVALID', message: 'contract expired at 2025-01-01' });
  });

  it('answers 422 CONSENT_INVALID once the consent is revoked', async () => {
    await t.as('ml-1', { method: 'POST', url: `/v1/consents/${consentId}/revocation`, payload: { signature: SIGNATURE } });
    const res = await t.as('ml-1', { method: 'POST', url: '/v1/risk-reports', payload: { contractId, consentId, uscc: USCC[0] } });
    expect(errorOf(res)).toMatchObject({ status: 422, code: 'CONSENT_INVALID' });
  });
});
