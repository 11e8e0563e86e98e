import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenOf } from '../support/fake-services.js';
import { buildTestApp, errorOf, SIGNATURE, USCC, type TestApp } from '../support/test-app.js';

describe('/v1/provenance', () => {
  let t: TestApp;
  let report: Record<string, unknown>;
  let receipt: Record<string, unknown>;
  beforeAll(async () => {
    t = await buildTestApp();
    const message = { consentId: 'c-p', subjectToken: tokenOf(USCC[0]), grantee: 'ml-1', products: ['risk-score-v1'], purpose: 'pre_loan', validUntil: 1_900_000_000, issuedAt: 1_735_689_600 };
    await t.as('ml-1', { method: 'POST', url: '/v1/consents', payload: { message, signature: SIGNATURE } });
    const contract = (await t.as('ml-1', { method: 'POST', url: '/v1/contracts', payload: { productId: 'risk-score-v1', purpose: 'pre_loan' } })).json() as { contractId: string };
    const res = await t.as('ml-1', { method: 'POST', url: '/v1/risk-reports', payload: { contractId: contract.contractId, consentId: 'c-p', uscc: USCC[0] } });
    ({ report, receipt } = res.json() as { report: Record<string, unknown>; receipt: Record<string, unknown> });
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('verifies a report handed to a guarantor, and flags a changed report', async () => {
    const ok = await t.as('gua-1', { method: 'POST', url: '/v1/provenance/verify', payload: { report, receipt } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ valid: true, checks: { hash: true, signature: true, ledger: true, contract: true, consent: true } });
    const tampered = await t.as('gua-1', { method: 'POST', url: '/v1/provenance/verify', payload: { report: { ...report, score: 999 }, receipt } });
    expect(tampered.json()).toMatchObject({ valid: false, checks: { hash: false } });
  });

  it('passes extra fields of the report and receipt to the verification, but not extra top-level fields', async () => {
    const extra = await t.as('gua-1', { method: 'POST', url: '/v1/provenance/verify', payload: { report: { ...report, note: 'x' }, receipt: { ...receipt, issuedAt: 1 } } });
    expect(extra.json()).toMatchObject({ valid: false, checks: { hash: false } });
    expect(t.services.callsOf('verifyProvenance').at(-1)?.args[0]).toMatchObject({ receipt: { issuedAt: 1 } });
    const top = await t.as('gua-1', { method: 'POST', url: '/v1/provenance/verify', payload: { report, receipt, trustMe: true } });
    expect(errorOf(top)).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
  });

  it('reads a receipt as recorded with its block and txId', async () => {
    const res = await t.as('gua-1', { method: 'GET', url: `/v1/provenance/${String(receipt['receiptId'])}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ...receipt, block: 7 });
    expect(errorOf(await t.as('gua-1', { method: 'GET', url: '/v1/provenance/none' }))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});
