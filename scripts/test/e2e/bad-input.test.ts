/**
 * Bad input through a real port: malformed JSON, wrong types, missing and unknown fields,
 * huge bodies, bad USCC check characters, bad signatures, references to nothing. Each gets
 * the documented 4xx with the error shape of shared/API.md, never a 5xx.
 */
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type CallOptions, type E2E } from './harness.js';
import { CHECK_PRODUCT, DAY_MS, draftAndSignConsent, expectError, plantEnterprise, SCORE_PRODUCT } from './flows.js';

let e2e: E2E;
/** A registered subject of the demo. */
let uscc: string;
/** A well-formed USCC that the consortium has never seen. */
let strangerUscc: string;

beforeAll(async () => {
  e2e = await startE2E();
  uscc = e2e.credentials.subjects[0]!.uscc;
  strangerUscc = await plantEnterprise(e2e, 200_000);
});
afterAll(async () => {
  await e2e?.close();
});

/** The same USCC with a wrong check character. */
function wrongCheck(valid: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const last = valid[17]!;
  return valid.slice(0, 17) + alphabet[(alphabet.indexOf(last) + 1) % alphabet.length]!;
}

function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

interface Case {
  readonly name: string;
  readonly path: string;
  readonly options: () => CallOptions;
  readonly status: number;
  readonly code: string;
}

const L = 'microloan-a';
const SIG = `0x${'1b'.repeat(65)}`;
const fakeReceipt = () => ({
  receiptId: 'rcpt-forged',
  contractId: 'ctr-forged',
  consentId: 'cst-forged',
  productId: SCORE_PRODUCT,
  modelVersion: 'sme-scorecard-1.0.0',
  subjectToken: `0x${'ab'.repeat(32)}`,
  outputHash: `0x${'cd'.repeat(32)}`,
  issuedAt: 1_700_000_000,
  provider: 'credit-data',
  consumer: L,
  signature: SIG,
  txId: 'f'.repeat(64),
});
const product = (over: Record<string, unknown> = {}) => ({
  id: 'bad-input-product',
  name: 'Probe',
  kind: 'score',
  classification: 2,
  policy: {},
  modelVersion: 'v1',
  outputSchema: { fields: ['score'] },
  ...over,
});
const consentMessage = (over: Record<string, unknown> = {}) => ({
  consentId: 'cst-probe',
  subjectToken: `0x${'ab'.repeat(32)}`,
  grantee: L,
  products: [SCORE_PRODUCT],
  purpose: 'pre_loan',
  validUntil: Math.floor(Date.now() / 1000) + 86_400,
  issuedAt: Math.floor(Date.now() / 1000),
  ...over,
});

const CASES: readonly Case[] = [
  // authentication
  { name: 'no API key', path: '/v1/catalog', options: () => ({}), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'unknown API key', path: '/v1/catalog', options: () => ({ headers: { authorization: 'Bearer not-a-key-of-anyone-0123456789' } }), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'Basic instead of Bearer', path: '/v1/catalog', options: () => ({ headers: { authorization: 'Basic dXNlcjpwYXNz' } }), status: 401, code: 'UNAUTHENTICATED' },
  // body parsing
  { name: 'malformed JSON', path: '/v1/contracts', options: () => ({ as: L, body: '{"productId":' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'JSON null body', path: '/v1/contracts', options: () => ({ as: L, body: 'null' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'JSON array body', path: '/v1/contracts', options: () => ({ as: L, body: '[]' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'text/plain body', path: '/v1/contracts', options: () => ({ as: L, body: 'hello', headers: { 'content-type': 'text/plain' } }), status: 415, code: 'BAD_REQUEST' },
  { name: '__proto__ in the body', path: '/v1/contracts', options: () => ({ as: L, body: '{"__proto__":{"x":1},"productId":"a","purpose":"pre_loan"}' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'a 2 MiB body', path: '/v1/lending-events', options: () => ({ as: L, body: { events: [{ uscc, type: 'application', occurredAt: new Date().toISOString(), pad: 'x'.repeat(2 * 1024 * 1024) }] } }), status: 413, code: 'BAD_REQUEST' },
  // wrong types
  { name: 'productId as a number', path: '/v1/contracts', options: () => ({ as: L, body: { productId: 123, purpose: 'pre_loan' } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'unknown purpose', path: '/v1/contracts', options: () => ({ as: L, body: { productId: SCORE_PRODUCT, purpose: 'speculation' } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'fractional amount', path: '/v1/lending-events', options: () => ({ as: L, body: { events: [{ uscc, type: 'loan', amount: 1.5, occurredAt: new Date().toISOString() }] } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'amount as a string', path: '/v1/lending-events', options: () => ({ as: L, body: { events: [{ uscc, type: 'loan', amount: '100', occurredAt: new Date().toISOString() }] } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'events as an object', path: '/v1/lending-events', options: () => ({ as: L, body: { events: {} } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'empty events', path: '/v1/lending-events', options: () => ({ as: L, body: { events: [] } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'signers as a string', path: '/v1/subjects', options: () => ({ as: 'operator', body: { uscc: strangerUscc, signers: '0xabc' } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'validUntil as a boolean', path: '/v1/consents', options: () => ({ as: L, body: { message: consentMessage({ validUntil: true }), signature: SIG } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'occurredAt not a time', path: '/v1/lending-events', options: () => ({ as: L, body: { events: [{ uscc, type: 'loan', occurredAt: 'yesterday' }] } }), status: 400, code: 'BAD_REQUEST' },
  // missing fields
  { name: 'risk report without uscc', path: '/v1/risk-reports', options: () => ({ as: L, body: { contractId: 'ctr-x', consentId: 'cst-x' } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'consent without signature', path: '/v1/consents', options: () => ({ as: L, body: { message: consentMessage() } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'verify without receipt', path: '/v1/provenance/verify', options: () => ({ as: 'guarantor', body: { report: {} } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'receipt missing its fields', path: '/v1/provenance/verify', options: () => ({ as: 'guarantor', body: { report: {}, receipt: { receiptId: 'r' } } }), status: 400, code: 'BAD_REQUEST' },
  // unknown fields
  { name: 'unknown field in a contract', path: '/v1/contracts', options: () => ({ as: L, body: { productId: SCORE_PRODUCT, purpose: 'pre_loan', price: 0 } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'unknown field in a lending event', path: '/v1/lending-events', options: () => ({ as: L, body: { events: [{ uscc, type: 'loan', occurredAt: new Date().toISOString(), lender: 'x' }] } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'unknown query parameter', path: '/v1/audit/events?bogus=1', options: () => ({ as: 'regulator' }), status: 400, code: 'BAD_REQUEST' },
  // USCC check characters
  { name: 'risk report, wrong check character', path: '/v1/risk-reports', options: () => ({ as: L, body: { contractId: 'ctr-x', consentId: 'cst-x', uscc: wrongCheck(uscc) } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'lower-case USCC', path: '/v1/multi-lending/check', options: () => ({ as: L, body: { uscc: uscc.toLowerCase(), consentId: 'cst-x' } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'subject, wrong check character', path: '/v1/subjects', options: () => ({ as: 'operator', body: { uscc: wrongCheck(strangerUscc), signers: [Wallet.createRandom().address] } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'consent draft, 17-character USCC', path: '/v1/consents/draft', options: () => ({ as: L, body: { uscc: uscc.slice(0, 17), grantee: L, products: [SCORE_PRODUCT], purpose: 'pre_loan', validUntil: new Date(Date.now() + DAY_MS).toISOString() } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'second lending event, wrong check character', path: '/v1/lending-events', options: () => ({ as: L, body: { events: [{ uscc, type: 'application', occurredAt: new Date().toISOString() }, { uscc: wrongCheck(uscc), type: 'application', occurredAt: new Date().toISOString() }] } }), status: 400, code: 'BAD_REQUEST' },
  // signatures
  { name: 'consent signature too short', path: '/v1/consents', options: () => ({ as: L, body: { message: consentMessage(), signature: '0x1234' } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'revocation signature not hex', path: '/v1/consents/cst-x/revocation', options: () => ({ as: L, body: { signature: `0x${'zz'.repeat(65)}` } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'consent signed by nobody registered', path: '/v1/consents', options: () => ({ as: L, body: { message: consentMessage(), signature: SIG } }), status: 422, code: 'CONSENT_INVALID' },
  // documents that cannot be canonical JSON, or nested absurdly deep
  { name: 'report with a number beyond float range', path: '/v1/provenance/verify', options: () => ({ as: 'guarantor', body: `{"report":{"score":1e400},"receipt":${JSON.stringify(fakeReceipt())}}` }), status: 400, code: 'BAD_REQUEST' },
  { name: 'report nested 20,000 deep', path: '/v1/provenance/verify', options: () => ({ as: 'guarantor', body: `{"report":${nested(20_000)},"receipt":${JSON.stringify(fakeReceipt())}}` }), status: 400, code: 'BAD_REQUEST' },
  { name: 'product output schema nested 20,000 deep', path: '/v1/catalog/products', options: () => ({ as: 'credit-data', body: JSON.stringify(product()).replace('{"fields":["score"]}', nested(20_000)) }), status: 400, code: 'BAD_REQUEST' },
  { name: 'product policy that is no policy', path: '/v1/catalog/products', options: () => ({ as: 'credit-data', body: product({ policy: { anything: true } }) }), status: 400, code: 'BAD_REQUEST' },
  { name: 'product policy with 1e400', path: '/v1/catalog/products', options: () => ({ as: 'credit-data', body: JSON.stringify(product()).replace('"policy":{}', '"policy":{"maxUses":1e400}') }), status: 400, code: 'BAD_REQUEST' },
  // parameters
  { name: 'id with a space', path: '/v1/consents/%20bad', options: () => ({ as: L }), status: 400, code: 'BAD_REQUEST' },
  { name: 'limit not a number', path: '/v1/audit/events?limit=abc', options: () => ({ as: 'regulator' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'limit 0', path: '/v1/audit/events?limit=0', options: () => ({ as: 'regulator' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'unknown audit type', path: '/v1/audit/events?type=nope', options: () => ({ as: 'regulator' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'from not a time', path: '/v1/audit/events?from=yesterday', options: () => ({ as: 'regulator' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'a forged cursor', path: '/v1/audit/events?cursor=not-a-cursor', options: () => ({ as: 'regulator' }), status: 400, code: 'BAD_REQUEST' },
  { name: 'unknown route', path: '/v1/nothing-here', options: () => ({ as: L }), status: 404, code: 'NOT_FOUND' },
  // well-formed references to nothing
  { name: 'contract for an unknown product', path: '/v1/contracts', options: () => ({ as: L, body: { productId: 'no-such-product', purpose: 'pre_loan' } }), status: 404, code: 'NOT_FOUND' },
  { name: 'report under an unknown contract', path: '/v1/risk-reports', options: () => ({ as: L, body: { contractId: 'ctr-none', consentId: 'cst-none', uscc } }), status: 422, code: 'CONTRACT_INVALID' },
  { name: 'check under an unknown consent', path: '/v1/multi-lending/check', options: () => ({ as: L, body: { uscc, consentId: 'cst-none' } }), status: 422, code: 'CONSENT_INVALID' },
  { name: 'unknown consent', path: '/v1/consents/cst-none', options: () => ({ as: L }), status: 404, code: 'NOT_FOUND' },
  { name: 'revocation draft of an unknown consent', path: '/v1/consents/cst-none/revocation/draft', options: () => ({ as: L, method: 'POST' }), status: 404, code: 'NOT_FOUND' },
  { name: 'contract valid until the past', path: '/v1/contracts', options: () => ({ as: L, body: { productId: SCORE_PRODUCT, purpose: 'pre_loan', validUntil: '2020-01-01T00:00:00Z' } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'consent valid until the past', path: '/v1/consents/draft', options: () => ({ as: L, body: { uscc, grantee: L, products: [SCORE_PRODUCT], purpose: 'pre_loan', validUntil: '2020-01-01T00:00:00Z' } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'consent valid until after uint64 seconds', path: '/v1/consents', options: () => ({ as: L, body: { message: consentMessage({ validUntil: '99999999999999999999' }), signature: SIG } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'lending event dated tomorrow', path: '/v1/lending-events', options: () => ({ as: L, body: { events: [{ uscc, type: 'application', occurredAt: new Date(Date.now() + DAY_MS).toISOString() }] } }), status: 400, code: 'BAD_REQUEST' },
  { name: 'suspension of an unknown institution', path: '/v1/institutions/nobody/suspension', options: () => ({ as: 'regulator', method: 'POST' }), status: 404, code: 'NOT_FOUND' },
  { name: 'listing an unknown product', path: '/v1/catalog/no-such-product/listing', options: () => ({ as: 'exchange', body: { certificateNo: 'GZDE-2026-999999' } }), status: 404, code: 'NOT_FOUND' },
  { name: 'admitting an existing institution', path: '/v1/institutions', options: () => ({ as: 'regulator', body: { id: 'microloan-b', name: 'again', roles: ['microlender'], signerAddress: Wallet.createRandom().address } }), status: 409, code: 'CONFLICT' },
  // roles
  { name: 'a lender admitting an institution', path: '/v1/institutions', options: () => ({ as: L, body: { id: 'x-1', name: 'x', roles: ['microlender'], signerAddress: Wallet.createRandom().address } }), status: 403, code: 'FORBIDDEN' },
  { name: 'a provider reporting lending events', path: '/v1/lending-events', options: () => ({ as: 'credit-data', body: { events: [{ uscc, type: 'application', occurredAt: new Date().toISOString() }] } }), status: 403, code: 'FORBIDDEN' },
];

describe('bad input through the gateway: the documented 4xx, never a 5xx', () => {
  it.each(CASES)('$name → $status $code', async (c) => {
    const res = await e2e.call(c.path, c.options());
    expect(res.status, res.text.slice(0, 500)).toBeLessThan(500);
    expectError(res, c.status, c.code);
  });

  // fastify answers these two from its router, before any hook or error handler, unless the
  // app sets the `frameworkErrors` option (gateway/src/app.ts): the status is a 4xx but the
  // body is fastify's own `{ error, code, message, statusCode }`, not the API's error shape.
  const routerRefusals = [
    { name: 'an id of 300 characters', path: `/v1/consents/${'c'.repeat(300)}`, status: 414 },
    { name: 'a malformed percent-encoding', path: '/v1/consents/%E0%A4%A', status: 400 },
  ];
  it.each(routerRefusals)('$name is refused with $status', async (c) => {
    const res = await e2e.call(c.path, { as: L });
    expect(res.status, res.text).toBe(c.status);
  });
  it.each(routerRefusals)('$name is refused in the error shape of the API', async (c) => {
    expectError(await e2e.call(c.path, { as: L }), c.status, 'BAD_REQUEST');
  });

  it('a receipt with a well-formed but forged signature verifies as invalid, not as an error', async () => {
    const res = await e2e.call('/v1/provenance/verify', { as: 'guarantor', body: { report: { productId: SCORE_PRODUCT }, receipt: fakeReceipt() } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ valid: false, checks: { hash: false, signature: false, ledger: false, contract: false, consent: false } });
  });

  it('a consent for a subject nobody registered is refused as invalid', async () => {
    const signed = await draftAndSignConsent(e2e, { as: L, uscc: strangerUscc, wallet: Wallet.createRandom(), products: [CHECK_PRODUCT], purpose: 'pre_loan' });
    const res = await e2e.call('/v1/consents', { as: L, body: signed });
    expect(res.status, res.text).toBeLessThan(500);
    expectError(res, 422, 'CONSENT_INVALID');
  });

  it('a consent naming a product that does not exist is refused', async () => {
    const wallet = e2e.subjectWallet(uscc);
    const signed = await draftAndSignConsent(e2e, { as: L, uscc, wallet, products: ['no-such-product'], purpose: 'pre_loan' });
    const res = await e2e.call('/v1/consents', { as: L, body: signed });
    expect(res.status, res.text).toBeLessThan(500);
    expectError(res, 422, 'CONSENT_INVALID');
  });

  it('the gateway still serves after all of it', async () => {
    expect(await e2e.call('/readyz')).toMatchObject({ status: 200, body: { ready: true } });
  });
});
