/**
 * Retries, provider faults, readiness and provenance through the real gateway (real port, real
 * connectors over libp2p, the embedded ledger running the real chaincode): a contract posted
 * again with its Idempotency-Key after a crash is the first contract; a consent granted again
 * with the same message and signature answers the first grant; a provider whose ledger fails is
 * 503 to the consumer; a suspended hosted institution does not make the gateway unready; the
 * receipt as GET /v1/provenance/{id} shows it verifies as is; a rotated demo key is written back
 * into credentials.json.
 */
import { readFile } from 'node:fs/promises';
import { ChaincodeError, LedgerError } from '@xinlian/network';
import { negotiationId } from '@xinlian/gateway';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { draftAndSignConsent, expectError, grantConsent, SCORE_PRODUCT } from './flows.js';
import { credentialsPath, type DemoCredentials } from '../../src/demo/credentials.js';
import { startE2E, type E2E } from './harness.js';

const LENDER = 'microloan-a';
const PAUSED = 'microloan-b';

let e2e: E2E;
let uscc: (i: number) => string;

beforeAll(async () => {
  e2e = await startE2E();
  uscc = (i) => e2e.credentials.subjects[i]!.uscc;
});
afterAll(async () => {
  await e2e?.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const auditCount = async (query: string): Promise<number> => {
  const res = await e2e.call<{ events: unknown[] }>(`/v1/audit/events?${query}&limit=1000`, { as: 'regulator' });
  expect(res.status, res.text).toBe(200);
  return res.body.events.length;
};

describe('POST /v1/contracts with an Idempotency-Key', () => {
  it('a retry after the gateway lost its answer resumes the first negotiation: one contract', async () => {
    const contracts = () => auditCount(`type=contract_agreed&institution=${LENDER}`);
    const before = await contracts();
    const first = await e2e.call<{ contractId: string }>('/v1/contracts', { as: LENDER, body: { productId: SCORE_PRODUCT, purpose: 'pre_loan' }, headers: { 'idempotency-key': 'contract-1' } });
    expect(first.status, first.text).toBe(201);
    // as if the gateway had crashed before keeping its answer: the negotiation id is the key's
    const lender = e2e.consortium.connectors.get(LENDER)!;
    const retried = await lender.consumer.negotiate({ productId: SCORE_PRODUCT, purpose: 'pre_loan', negotiationId: negotiationId(LENDER, 'contract-1')! });
    expect(retried.contractId).toBe(first.body.contractId);
    expect(await contracts()).toBe(before + 1);
    // the same negotiation id for another purpose is refused, not a second contract
    await expect(lender.consumer.negotiate({ productId: SCORE_PRODUCT, purpose: 'post_loan', negotiationId: negotiationId(LENDER, 'contract-1')! })).rejects.toMatchObject({ code: 'CONN_REQUEST_CONFLICT' });
    // another institution's same key is another negotiation
    expect(negotiationId('microloan-b', 'contract-1')).not.toBe(negotiationId(LENDER, 'contract-1'));
    expect(await contracts()).toBe(before + 1);
  });
});

describe('POST /v1/consents retried', () => {
  it('the same message and signature answer the first consentId and txId, recording nothing; another message under that id is 409', async () => {
    const subject = uscc(5);
    const signed = await draftAndSignConsent(e2e, { as: LENDER, uscc: subject, wallet: e2e.subjectWallet(subject), products: [SCORE_PRODUCT], purpose: 'pre_loan' });
    const grants = () => auditCount(`type=consent_granted&institution=${LENDER}`);
    const first = await e2e.call<{ consentId: string; txId: string }>('/v1/consents', { as: LENDER, body: signed });
    expect(first.status, first.text).toBe(201);
    const before = await grants();
    const again = await e2e.call<{ consentId: string; txId: string }>('/v1/consents', { as: LENDER, body: signed });
    expect(again.status, again.text).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await grants()).toBe(before);

    const other = { ...signed, message: { ...signed.message, purpose: 'post_loan' } };
    expectError(await e2e.call('/v1/consents', { as: LENDER, body: other }), 409, 'CONFLICT');
    // the same grant submitted by another institution is not a retry
    expectError(await e2e.call('/v1/consents', { as: 'microloan-c', body: signed }), 409, 'CONFLICT');
    expect(await grants()).toBe(before);
  });
});

describe("the provider's ledger failing", () => {
  let consentId: string;
  let contractId: string;
  const subject = () => uscc(6);

  beforeAll(async () => {
    consentId = (await grantConsent(e2e, { as: LENDER, uscc: subject(), wallet: e2e.subjectWallet(subject()), products: [SCORE_PRODUCT], purpose: 'pre_loan' })).consentId;
    const contract = await e2e.call<{ contractId: string }>('/v1/contracts', { as: LENDER, body: { productId: SCORE_PRODUCT, purpose: 'pre_loan' } });
    expect(contract.status, contract.text).toBe(201);
    contractId = contract.body.contractId;
  });

  it.each([
    ['LEDGER_UNAVAILABLE', () => new LedgerError('LEDGER_UNAVAILABLE', 'peer down')],
    ['LEDGER_BAD_REQUEST', () => new LedgerError('LEDGER_BAD_REQUEST', 'the client misused the peer')],
    ['CC_INTERNAL', () => new ChaincodeError('CC_INTERNAL', 'chaincode crashed')],
  ])("reaches the consumer as the provider's %s and answers 503 UNAVAILABLE", async (_code, fault) => {
    vi.spyOn(e2e.provider.ledger, 'checkConsent').mockRejectedValue(fault());
    const res = await e2e.call('/v1/risk-reports', { as: LENDER, body: { contractId, consentId, uscc: subject() } });
    expectError(res, 503, 'UNAVAILABLE');
    expect(res.text).not.toContain('peer down');
  });

  it('bad input is never 5xx: an unknown consent is 422, and the same request works once the ledger is back', async () => {
    expectError(await e2e.call('/v1/risk-reports', { as: LENDER, body: { contractId, consentId: 'consent-nobody-granted', uscc: subject() } }), 422, 'CONSENT_INVALID');
    const ok = await e2e.call('/v1/risk-reports', { as: LENDER, body: { contractId, consentId, uscc: subject() } });
    expect(ok.status, ok.text).toBe(200);
  });
});

describe('/readyz with a suspended hosted institution', () => {
  it("leaves the suspended institution's paused connector out of the verdict and names it in details", async () => {
    const paused = e2e.consortium.connectors.get(PAUSED)!;
    // the suspension pauses its outbox: a write left pending there stalls (60 s in real time)
    const stalled = () => vi.spyOn(paused.writer, 'health').mockResolvedValue({ pending: 1, oldestPendingMs: 120_000, draining: false });
    stalled();
    // a stalled connector of an active institution makes the gateway unready
    const unready = await e2e.call('/readyz', { as: null });
    expect(unready.status, unready.text).toBe(503);
    expect(unready.body).toMatchObject({ ready: false, checks: { outbox: false } });

    const suspended = await e2e.call(`/v1/institutions/${PAUSED}/suspension`, { as: 'regulator', body: { reason: 'inspection' } });
    expect(suspended.status, suspended.text).toBe(200);
    const ready = await e2e.call('/readyz', { as: null });
    expect(ready.status, ready.text).toBe(200);
    expect(ready.body).toEqual({ ready: true, checks: { ledger: true, connector: true, p2p: true, outbox: true }, details: { suspended: [PAUSED] } });

    const reinstated = await e2e.call(`/v1/institutions/${PAUSED}/suspension`, { as: 'regulator', method: 'DELETE' });
    expect(reinstated.status, reinstated.text).toBe(200);
    vi.restoreAllMocks();
    const back = await e2e.call('/readyz', { as: null });
    expect(back.status, back.text).toBe(200);
    expect(back.body).toEqual({ ready: true, checks: { ledger: true, connector: true, p2p: true, outbox: true } });
  });
});

describe('POST /v1/provenance/verify', () => {
  it('verifies the receipt as POST /v1/risk-reports returned it, and as GET /v1/provenance/{id} shows it; another extra field fails', async () => {
    const subject = uscc(7);
    const consentId = (await grantConsent(e2e, { as: LENDER, uscc: subject, wallet: e2e.subjectWallet(subject), products: [SCORE_PRODUCT], purpose: 'pre_loan' })).consentId;
    const contract = await e2e.call<{ contractId: string }>('/v1/contracts', { as: LENDER, body: { productId: SCORE_PRODUCT, purpose: 'pre_loan' } });
    expect(contract.status, contract.text).toBe(201);
    const released = await e2e.call<{ report: Record<string, unknown>; receipt: Record<string, unknown> }>('/v1/risk-reports', { as: LENDER, body: { contractId: contract.body.contractId, consentId, uscc: subject } });
    expect(released.status, released.text).toBe(200);
    const { report, receipt } = released.body;
    expect(Object.keys(receipt)).toHaveLength(12);
    const verify = (r: Record<string, unknown>) => e2e.call<{ valid: boolean; checks: Record<string, boolean> }>('/v1/provenance/verify', { as: 'bank-a', body: { report, receipt: r } });

    const asIssued = await verify(receipt);
    expect(asIssued.status, asIssued.text).toBe(200);
    expect(asIssued.body.valid).toBe(true);

    const shown = await e2e.call<Record<string, unknown>>(`/v1/provenance/${String(receipt['receiptId'])}`, { as: 'bank-a' });
    expect(shown.status, shown.text).toBe(200);
    expect(shown.body).toMatchObject({ block: expect.any(Number), recordedAt: expect.any(String) });
    const asShown = await verify(shown.body);
    expect(asShown.status, asShown.text).toBe(200);
    expect(asShown.body).toEqual({ valid: true, checks: { hash: true, signature: true, ledger: true, contract: true, consent: true } });

    const padded = await verify({ ...receipt, note: 'added by the holder' });
    expect(padded.status, padded.text).toBe(200);
    expect(padded.body.valid).toBe(false);
  });
});

describe('credentials.json after a key rotation', () => {
  it("holds the demo institution's new key, which works, while the old one is refused", async () => {
    const read = async () => JSON.parse(await readFile(credentialsPath(e2e.dataDir), 'utf8')) as DemoCredentials;
    const old = (await read()).institutions['guarantor']!.apiKey;
    const rotated = await e2e.call<{ apiKey: string }>('/v1/api-keys/rotation', { as: 'guarantor', body: {} });
    expect(rotated.status, rotated.text).toBe(201);
    const inFile = (await read()).institutions['guarantor']!;
    expect(inFile).toEqual({ apiKey: rotated.body.apiKey, roles: ['guarantor'] });
    const get = (key: string) => fetch(`${e2e.url}/v1/catalog`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);
    expect(await get(inFile.apiKey)).toBe(200);
    expect(await get(old)).toBe(401);
    // the other institutions' keys are untouched
    expect((await read()).institutions[LENDER]!.apiKey).toBe(e2e.credentials.institutions[LENDER]!.apiKey);
  });
});
