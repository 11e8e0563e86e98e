/**
 * A lender's day, end to end through a real port, real connectors over libp2p and the
 * embedded ledger: register a subject → the enterprise signs consent → a contract is
 * negotiated → a risk report is delivered → a guarantor verifies it → a tampered report
 * fails → the consent is revoked → the next report is refused → the regulator's audit shows
 * all of it, the refusal included, and the chain checks out.
 *
 * The steps share state and run in order; each asserts the exact shapes of shared/API.md.
 */
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, signTypedData, type E2E, type TypedDataJson } from './harness.js';
import { DAY_MS, draftAndSignConsent, expectError, grantConsent, plantEnterprise, SCORE_PRODUCT } from './flows.js';
import { enterpriseIdentifiers, eventPayloads, findIdentifiers, ledgerTexts } from './ledger-scan.js';

const LENDER = 'microloan-a';
const PROVIDER = 'credit-data';

interface Receipt {
  receiptId: string;
  contractId: string;
  consentId: string;
  outputHash: string;
  provider: string;
  signature: string;
  txId: string;
  [k: string]: unknown;
}
interface Report {
  productId: string;
  subjectToken: string;
  score: number;
  grade: string;
  dimensions: Record<string, number>;
  reasonCodes: string[];
  modelVersion: string;
  generatedAt: string;
  [k: string]: unknown;
}
interface AuditEvent {
  txId: string;
  block: number;
  type: string;
  institution: string;
  at: string;
  [k: string]: unknown;
}

let e2e: E2E;
let startedAt: string;
const enterprise = Wallet.createRandom();
let uscc: string;
const s = {} as {
  subjectToken: string;
  subjectTx: string;
  consentId: string;
  consentTx: string;
  contractId: string;
  contractTx: string;
  report: Report;
  receipt: Receipt;
  revokeTx: string;
  badSignatureConsentId: string;
};

beforeAll(async () => {
  e2e = await startE2E();
  startedAt = new Date().toISOString();
  uscc = await plantEnterprise(e2e, 100_000);
});
afterAll(async () => {
  await e2e?.close();
});

describe("a lender's day through the gateway", () => {
  it('serves liveness, readiness and the catalogue with the listed score product', async () => {
    expect(await e2e.call('/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await e2e.call('/readyz')).toMatchObject({ status: 200, body: { ready: true, checks: { ledger: true, connector: true } } });
    const catalog = await e2e.call<{ products: Record<string, unknown>[] }>('/v1/catalog', { as: LENDER });
    expect(catalog.status).toBe(200);
    expect(catalog.body.products.find((p) => p['id'] === SCORE_PRODUCT)).toMatchObject({
      id: SCORE_PRODUCT,
      provider: PROVIDER,
      kind: 'score',
      classification: 2,
      status: 'active',
      listing: { exchange: 'exchange', certificateNo: expect.any(String), listedAt: expect.any(String) },
    });
  });

  it('the operator registers the enterprise as a subject; only its blinded token is returned', async () => {
    const res = await e2e.call<{ subjectToken: string; txId: string }>('/v1/subjects', {
      as: 'operator',
      body: { uscc, signers: [enterprise.address] },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.subjectToken).toMatch(/^0x[0-9a-f]{64}$/);
    expect(res.text).not.toContain(uscc);
    s.subjectToken = res.body.subjectToken;
    s.subjectTx = res.body.txId;

    const again = await e2e.call('/v1/subjects', { as: 'operator', body: { uscc, signers: [enterprise.address] } });
    expectError(again, 409, 'CONFLICT');
    const notOperator = await e2e.call('/v1/subjects', { as: LENDER, body: { uscc, signers: [enterprise.address] } });
    expectError(notOperator, 403, 'FORBIDDEN');
  });

  it('refuses a consent signed by someone who is not a registered signer (422, recorded)', async () => {
    const signed = await draftAndSignConsent(e2e, {
      as: LENDER,
      uscc,
      wallet: Wallet.createRandom(),
      products: [SCORE_PRODUCT],
      purpose: 'pre_loan',
    });
    s.badSignatureConsentId = String(signed.message['consentId']);
    const res = await e2e.call('/v1/consents', { as: LENDER, body: signed });
    expectError(res, 422, 'CONSENT_INVALID');
  });

  it('the enterprise signs a consent for the lender, which reads back as active', async () => {
    const granted = await grantConsent(e2e, { as: LENDER, uscc, wallet: enterprise, products: [SCORE_PRODUCT], purpose: 'pre_loan' });
    s.consentId = granted.consentId;
    s.consentTx = granted.txId;
    const view = await e2e.call(`/v1/consents/${s.consentId}`, { as: LENDER });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ consentId: s.consentId, grantee: LENDER, products: [SCORE_PRODUCT], purpose: 'pre_loan', status: 'active' });
    expect(Date.parse(String(view.body['validUntil']))).toBeGreaterThan(Date.now() + 29 * DAY_MS);
  });

  it("negotiates a usage contract with the provider's connector over libp2p", async () => {
    const res = await e2e.call('/v1/contracts', { as: LENDER, body: { productId: SCORE_PRODUCT, purpose: 'pre_loan' } });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      contractId: expect.stringMatching(/^[A-Za-z0-9]/),
      provider: PROVIDER,
      consumer: LENDER,
      productId: SCORE_PRODUCT,
      purpose: 'pre_loan',
      status: 'active',
    });
    expect(Date.parse(String(res.body['validUntil']))).toBeGreaterThan(Date.now());
    s.contractId = String(res.body['contractId']);
    s.contractTx = String(res.body['txId']);
    const read = await e2e.call(`/v1/contracts/${s.contractId}`, { as: LENDER });
    expect(read).toMatchObject({ status: 200, body: { contractId: s.contractId, status: 'active' } });
    expectError(await e2e.call(`/v1/contracts/${s.contractId}`, { as: 'microloan-b' }), 404, 'NOT_FOUND');
  });

  it("the provider's policy refuses contracts to an exchange and to the operator (403 POLICY_DENIED with the rule)", async () => {
    for (const who of ['exchange', 'operator']) {
      const res = await e2e.call('/v1/contracts', { as: who, body: { productId: SCORE_PRODUCT, purpose: 'pre_loan' } });
      const error = expectError(res, 403, 'POLICY_DENIED');
      expect(error.rule, res.text).toMatch(/\S/);
    }
  });

  it('delivers a risk report with its provenance receipt', async () => {
    const res = await e2e.call<{ report: Report; receipt: Receipt }>('/v1/risk-reports', {
      as: LENDER,
      body: { contractId: s.contractId, consentId: s.consentId, uscc },
    });
    expect(res.status, res.text).toBe(200);
    const { report, receipt } = res.body;
    expect(report).toMatchObject({ productId: SCORE_PRODUCT, subjectToken: s.subjectToken, modelVersion: expect.any(String) });
    expect(Number.isFinite(report.score) && report.score >= 0 && report.score <= 1000).toBe(true);
    expect(['A', 'B', 'C', 'D', 'E']).toContain(report.grade);
    expect(Object.keys(report.dimensions).sort()).toEqual(
      ['basicInfo', 'businessCondition', 'creditHistory', 'operationalStability', 'repaymentCapacity'],
    );
    for (const v of Object.values(report.dimensions)) expect(v >= 0 && v <= 100).toBe(true);
    expect(Array.isArray(report.reasonCodes)).toBe(true);
    expect(Number.isNaN(Date.parse(report.generatedAt))).toBe(false);
    expect(receipt).toMatchObject({
      receiptId: expect.any(String),
      contractId: s.contractId,
      consentId: s.consentId,
      outputHash: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      provider: PROVIDER,
      signature: expect.stringMatching(/^0x[0-9a-f]{130}$/),
      txId: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // raw enterprise data never leaves the provider: no USCC, no name, no tax series
    expect(res.text).not.toContain(uscc);
    expect(res.text).not.toMatch(/taxPaid|legalRepresentative|headcount/);
    s.report = report;
    s.receipt = receipt;
  });

  it("another lender cannot draw on this lender's contract or consent (422)", async () => {
    const res = await e2e.call('/v1/risk-reports', { as: 'microloan-b', body: { contractId: s.contractId, consentId: s.consentId, uscc } });
    expectError(res, 422, 'CONTRACT_INVALID');
    const own = await e2e.call('/v1/contracts', { as: 'microloan-b', body: { productId: SCORE_PRODUCT, purpose: 'pre_loan' } });
    expect(own.status, own.text).toBe(201);
    const borrowed = await e2e.call('/v1/risk-reports', { as: 'microloan-b', body: { contractId: own.body['contractId'], consentId: s.consentId, uscc } });
    expectError(borrowed, 422, 'CONSENT_INVALID');
  });

  it('GET /v1/provenance/{receiptId} returns the receipt as recorded with its block and txId', async () => {
    const res = await e2e.call(`/v1/provenance/${s.receipt.receiptId}`, { as: 'guarantor' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      receiptId: s.receipt.receiptId,
      contractId: s.contractId,
      consentId: s.consentId,
      outputHash: s.receipt.outputHash,
      provider: PROVIDER,
      signature: s.receipt.signature,
      txId: s.receipt.txId,
    });
    expect(Number.isInteger(res.body['block']) && (res.body['block'] as number) > 0).toBe(true);
    expectError(await e2e.call('/v1/provenance/rcpt-does-not-exist', { as: 'guarantor' }), 404, 'NOT_FOUND');
  });

  it('the guarantor verifies the report: every check passes', async () => {
    const res = await e2e.call('/v1/provenance/verify', { as: 'guarantor', body: { report: s.report, receipt: s.receipt } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ valid: true, checks: { hash: true, signature: true, ledger: true, contract: true, consent: true } });
  });

  it('a tampered report fails verification on its hash; a receipt forged to match fails signature and ledger', async () => {
    const tampered = { ...s.report, score: s.report.score >= 1000 ? 1 : s.report.score + 1 };
    const res = await e2e.call('/v1/provenance/verify', { as: 'guarantor', body: { report: tampered, receipt: s.receipt } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ valid: false, checks: { hash: false, signature: true, ledger: true } });

    const { outputHashOf } = await import('@xinlian/connector');
    const forged = { ...s.receipt, outputHash: outputHashOf(tampered) };
    const res2 = await e2e.call('/v1/provenance/verify', { as: 'guarantor', body: { report: tampered, receipt: forged } });
    expect(res2.status, res2.text).toBe(200);
    expect(res2.body).toMatchObject({ valid: false, checks: { hash: true, signature: false, ledger: false } });
  });

  it('the enterprise revokes its consent with its own signature', async () => {
    const draft = await e2e.call<{ typedData: TypedDataJson }>(`/v1/consents/${s.consentId}/revocation/draft`, { as: LENDER, method: 'POST' });
    expect(draft.status, draft.text).toBe(200);
    expect(draft.body.typedData).toMatchObject({ primaryType: 'ConsentRevocation', message: { consentId: s.consentId, subjectToken: s.subjectToken } });

    const forged = await signTypedData(Wallet.createRandom(), draft.body.typedData);
    expectError(await e2e.call(`/v1/consents/${s.consentId}/revocation`, { as: LENDER, body: { signature: forged } }), 422, 'CONSENT_INVALID');

    const signature = await signTypedData(enterprise, draft.body.typedData);
    const res = await e2e.call<{ status: string; txId: string }>(`/v1/consents/${s.consentId}/revocation`, { as: LENDER, body: { signature } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.status).toBe('revoked');
    s.revokeTx = res.body.txId;
    const again = await e2e.call(`/v1/consents/${s.consentId}/revocation`, { as: LENDER, body: { signature } });
    expect(expectError(again, 422, 'CONSENT_INVALID').reason).toBe('CC_CONSENT_REVOKED');
    expect(await e2e.call(`/v1/consents/${s.consentId}`, { as: LENDER })).toMatchObject({ status: 200, body: { status: 'revoked' } });
  });

  it('the report issued before the revocation still verifies: the consent was valid when it was issued', async () => {
    const res = await e2e.call('/v1/provenance/verify', { as: 'guarantor', body: { report: s.report, receipt: s.receipt } });
    expect(res).toMatchObject({ status: 200, body: { valid: true, checks: { consent: true } } });
  });

  it('the next report under the revoked consent is refused with 422 CONSENT_INVALID', async () => {
    const res = await e2e.call('/v1/risk-reports', { as: LENDER, body: { contractId: s.contractId, consentId: s.consentId, uscc } });
    expect(expectError(res, 422, 'CONSENT_INVALID').reason).toBe('CONN_CONSENT_INVALID');
  });

  it("the regulator's audit shows the whole day, oldest first, including both refusals", async () => {
    const events: AuditEvent[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const q = new URLSearchParams({ from: startedAt, limit: '5', ...(cursor ? { cursor } : {}) });
      const page = await e2e.call<{ events: AuditEvent[]; cursor?: string }>(`/v1/audit/events?${q}`, { as: 'regulator' });
      expect(page.status, page.text).toBe(200);
      expect(page.body.events.length).toBeLessThanOrEqual(5);
      events.push(...page.body.events);
      cursor = page.body.cursor;
      pages++;
    } while (cursor !== undefined && pages < 50);
    expect(cursor).toBeUndefined();
    expect(pages).toBeGreaterThan(1);

    for (const e of events) {
      expect(e).toMatchObject({ txId: expect.any(String), type: expect.any(String), institution: expect.any(String), at: expect.any(String) });
      expect(Number.isInteger(e.block) && e.block > 0).toBe(true);
    }
    const ats = events.map((e) => e.at);
    expect(ats).toEqual([...ats].sort());

    const byTx = (txId: string) => events.find((e) => e.txId === txId);
    expect(byTx(s.subjectTx)).toMatchObject({ type: 'subject_registered', institution: 'operator' });
    expect(byTx(s.consentTx)).toMatchObject({ type: 'consent_granted', institution: LENDER });
    expect(byTx(s.contractTx)).toMatchObject({ type: 'contract_agreed' });
    expect(byTx(s.receipt.txId)).toMatchObject({ type: 'receipt_recorded', institution: PROVIDER });
    expect(byTx(s.revokeTx)).toMatchObject({ type: 'consent_revoked', institution: LENDER });

    const denied = events.filter((e) => e.type === 'denied');
    // the forged consent, refused by the chaincode on the lender's own submit
    expect(denied).toContainEqual(expect.objectContaining({ institution: LENDER, action: 'consents:Grant', code: 'CC_BAD_SIGNATURE' }));
    // the report refused by the provider's connector after the revocation, recorded by the provider
    const refusal = denied.find((e) => e['recordedBy'] === PROVIDER && e.institution === LENDER);
    expect(refusal).toMatchObject({ institution: LENDER, action: 'transfer', code: 'CONN_CONSENT_INVALID' });
    // the provider's policy refusing the exchange a contract
    expect(denied).toContainEqual(expect.objectContaining({ institution: 'exchange', action: 'negotiation', recordedBy: PROVIDER }));
    expect(events.findIndex((e) => e === refusal)).toBeGreaterThan(events.findIndex((e) => e.txId === s.revokeTx));
    expect(JSON.stringify(events)).not.toContain(uscc);
  });

  it('filters the audit by type and institution', async () => {
    const res = await e2e.call<{ events: AuditEvent[] }>(`/v1/audit/events?type=receipt_recorded&from=${encodeURIComponent(startedAt)}`, { as: 'regulator' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.events.map((e) => e.txId)).toEqual([s.receipt.txId]);
    const lender = await e2e.call<{ events: AuditEvent[] }>(`/v1/audit/events?institution=${LENDER}&from=${encodeURIComponent(startedAt)}`, { as: 'regulator' });
    expect(lender.status).toBe(200);
    expect(lender.body.events.length).toBeGreaterThanOrEqual(3);
    // every event names the lender as a party: its own, and those where it is the consumer or grantee
    expect(lender.body.events.every((e) => (e['parties'] as string[]).includes(LENDER))).toBe(true);
    expect(lender.body.events.map((e) => e.txId)).toEqual(expect.arrayContaining([s.consentTx, s.contractTx, s.receipt.txId]));
  });

  it('the audit is the regulator\'s alone', async () => {
    for (const who of [LENDER, 'guarantor', PROVIDER, 'operator', 'exchange']) {
      expectError(await e2e.call('/v1/audit/events', { as: who }), 403, 'FORBIDDEN');
      expectError(await e2e.call('/v1/audit/integrity', { as: who }), 403, 'FORBIDDEN');
    }
  });

  it('the integrity check re-verifies the whole chain and passes', async () => {
    const res = await e2e.call<{ ok: boolean; height: number; headHash: string }>('/v1/audit/integrity', { as: 'regulator' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.height).toBeGreaterThan(10);
    // blocks may be committed after the check (the gateway's refusal batches): it covers a prefix
    expect(res.body.height).toBeLessThanOrEqual(await e2e.provider.ledger.height());
    expect(res.body.headHash).toBe((await e2e.provider.ledger.block(res.body.height - 1))!.hash);
  });

  it('puts no USCC and no enterprise name anywhere on the ledger: every block, every event payload of the whole run', async () => {
    const identifiers = await enterpriseIdentifiers(e2e);
    expect(identifiers).toContain(uscc);
    expect(identifiers.length).toBeGreaterThan(400);
    const ledger = e2e.consortium.ledger;
    const blocks = await ledgerTexts(ledger);
    const events = await eventPayloads(ledger, e2e.provider.ledger);
    // the run did put the lender's day and the demo's history on the ledger
    expect(blocks.length).toBeGreaterThan(20);
    expect(events.length).toBeGreaterThan(200);
    const texts = [
      ...blocks.map((b) => ({ where: `block ${b.block}`, text: b.text })),
      ...events.map((e, i) => ({ where: `event ${i} (block ${e.block})`, text: e.payload })),
    ];
    expect(findIdentifiers(identifiers, texts)).toEqual([]);
  });
});
