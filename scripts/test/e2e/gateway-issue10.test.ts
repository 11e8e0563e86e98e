/**
 * Issue 10 through the real gateway (real port, real connectors over libp2p, the embedded
 * ledger running the real chaincode): idempotent writes down to the chaincode, refusals on
 * the ledger, scoped reads, membership and product lifecycle, audit by party, subject,
 * newest first and stats, readiness, durable key rotation.
 */
import { lendingBatchId, reportRequestId } from '@xinlian/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, expectError, grantConsent, SCORE_PRODUCT } from './flows.js';
import { startE2E, type E2E } from './harness.js';

const LENDER = 'microloan-a';
const OTHER = 'microloan-b';

interface AuditEvent {
  txId: string;
  block: number;
  type: string;
  institution: string;
  at: string;
  [k: string]: unknown;
}

let e2e: E2E;
let uscc: (i: number) => string;

beforeAll(async () => {
  e2e = await startE2E();
  uscc = (i) => e2e.credentials.subjects[i]!.uscc;
});
afterAll(async () => {
  await e2e?.close();
});

const audit = (query: string) => e2e.call<{ events: AuditEvent[]; cursor?: string }>(`/v1/audit/events?${query}`, { as: 'regulator' });

/** Polls the audit log until `match` finds something (refusals are written in batches). */
async function eventually(query: string, match: (e: AuditEvent) => boolean, ms = 10_000): Promise<AuditEvent> {
  const deadline = Date.now() + ms;
  for (;;) {
    const res = await audit(query);
    expect(res.status, res.text).toBe(200);
    const found = res.body.events.find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no audit event for ${query}: ${res.text.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Idempotency-Key, down to the chaincode', () => {
  const events = (i: number) => [{ uscc: uscc(i), type: 'application', occurredAt: new Date(Date.now() - 60_000).toISOString() }];

  it('a lending batch posted twice with one key is answered twice and counted once', async () => {
    const body = { events: events(10) };
    const count = async () => (await audit(`type=lending_events_recorded&institution=${LENDER}&limit=1000`)).body.events.length;
    const before = await count();
    const first = await e2e.call<{ accepted: number; txIds: string[] }>('/v1/lending-events', { as: LENDER, body, headers: { 'idempotency-key': 'batch-one' } });
    expect(first.status, first.text).toBe(201);
    const again = await fetch(`${e2e.url}/v1/lending-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${e2e.credentials.institutions[LENDER]!.apiKey}`, 'content-type': 'application/json', 'idempotency-key': 'batch-one' },
      body: JSON.stringify(body),
    });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(first.body);

    expect(await count()).toBe(before + 1);
  });

  it('the same key with another body is 409 CONFLICT and records nothing', async () => {
    await e2e.call('/v1/lending-events', { as: LENDER, body: { events: events(11) }, headers: { 'idempotency-key': 'batch-two' } });
    const before = (await audit(`type=lending_events_recorded&institution=${LENDER}&limit=1000`)).body.events.length;
    const other = await e2e.call('/v1/lending-events', { as: LENDER, body: { events: events(12) }, headers: { 'idempotency-key': 'batch-two' } });
    expectError(other, 409, 'CONFLICT');
    expect((await audit(`type=lending_events_recorded&institution=${LENDER}&limit=1000`)).body.events).toHaveLength(before);
  });

  it("the ledger batch id is the key's: the chaincode answers a resubmission with the first transaction", async () => {
    const body = { events: events(13) };
    const first = await e2e.call<{ txIds: string[] }>('/v1/lending-events', { as: LENDER, body, headers: { 'idempotency-key': 'batch-three' } });
    expect(first.status, first.text).toBe(201);
    // as if the gateway had lost its record: the lender's connector submits the same batch id again
    const lender = e2e.consortium.connectors.get(LENDER)!;
    const again = await lender.recordLendingEvents(lendingBatchId(LENDER, 'batch-three'), body.events);
    expect(again).toMatchObject({ replayed: true, txId: first.body.txIds[0] });
  });

  it('answers survive a restart of the gateway', async () => {
    const body = { events: events(14) };
    const first = await e2e.call('/v1/lending-events', { as: LENDER, body, headers: { 'idempotency-key': 'across-restart' } });
    expect(first.status, first.text).toBe(201);
    await e2e.restartGateway();
    const again = await fetch(`${e2e.url}/v1/lending-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${e2e.credentials.institutions[LENDER]!.apiKey}`, 'content-type': 'application/json', 'idempotency-key': 'across-restart' },
      body: JSON.stringify(body),
    });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(first.body);
  });
});

describe('gateway refusals on the ledger', () => {
  it("a role refusal is recorded as a denied event naming the refused institution and the gateway's code", async () => {
    const res = await e2e.call('/v1/institutions', { as: OTHER, body: { id: 'nope', name: 'Nope', roles: ['bank'], signerAddress: `0x${'1'.repeat(40)}` } });
    expectError(res, 403, 'FORBIDDEN');
    const denied = await eventually(`type=denied&institution=${OTHER}&limit=1000`, (e) => e['code'] === 'GW_FORBIDDEN');
    expect(denied).toMatchObject({ type: 'denied', code: 'GW_FORBIDDEN' });
    expect(JSON.stringify(denied)).toContain('POST /v1/institutions');
  });

  it("a suspended institution's calls are refused and recorded; reinstatement restores it", async () => {
    const target = 'microloan-c';
    const suspended = await e2e.call('/v1/institutions/microloan-c/suspension', { as: 'regulator', body: { reason: 'inspection' } });
    expect(suspended.status, suspended.text).toBe(200);
    expectError(await e2e.call('/v1/catalog', { as: target }), 403, 'FORBIDDEN');
    await eventually(`type=denied&institution=${target}&limit=1000`, (e) => e['code'] === 'GW_INSTITUTION_SUSPENDED');

    expectError(await e2e.call('/v1/institutions/microloan-c/suspension', { as: OTHER, method: 'DELETE' }), 403, 'FORBIDDEN');
    const reinstated = await e2e.call('/v1/institutions/microloan-c/suspension', { as: 'regulator', method: 'DELETE' });
    expect(reinstated.status, reinstated.text).toBe(200);
    expect(reinstated.body).toMatchObject({ id: target, status: 'active' });
    expect((await e2e.call('/v1/catalog', { as: target })).status).toBe(200);
    await eventually(`type=institution_reinstated&limit=1000`, (e) => JSON.stringify(e).includes(target));
    expectError(await e2e.call('/v1/institutions/microloan-c/suspension', { as: 'regulator', method: 'DELETE' }), 409, 'CONFLICT');
  });
});

describe('scoped reads, contracts and products', () => {
  let consentId: string;
  let contractId: string;
  const subject = () => uscc(20);

  beforeAll(async () => {
    consentId = (await grantConsent(e2e, { as: LENDER, uscc: subject(), wallet: e2e.subjectWallet(subject()), products: [SCORE_PRODUCT], purpose: 'pre_loan' })).consentId;
    const contract = await e2e.call<{ contractId: string }>('/v1/contracts', { as: LENDER, body: { productId: SCORE_PRODUCT, purpose: 'pre_loan' } });
    expect(contract.status, contract.text).toBe(201);
    contractId = contract.body.contractId;
  });

  it("another member gets 404 for a consent or contract it is not party to; the parties and the regulator read them", async () => {
    expectError(await e2e.call(`/v1/consents/${consentId}`, { as: OTHER }), 404, 'NOT_FOUND');
    expectError(await e2e.call(`/v1/contracts/${contractId}`, { as: OTHER }), 404, 'NOT_FOUND');
    expect((await e2e.call(`/v1/consents/${consentId}`, { as: LENDER })).status).toBe(200);
    expect((await e2e.call(`/v1/consents/${consentId}`, { as: 'regulator' })).status).toBe(200);
    expect((await e2e.call(`/v1/contracts/${contractId}`, { as: 'credit-data' })).status).toBe(200);
    expect((await e2e.call(`/v1/contracts/${contractId}`, { as: 'regulator' })).status).toBe(200);
  });

  it('a new model version is carried by every later report', async () => {
    expectError(await e2e.call(`/v1/catalog/${SCORE_PRODUCT}/versions`, { as: LENDER, body: { modelVersion: '9.9.9' } }), 403, 'FORBIDDEN');
    const updated = await e2e.call(`/v1/catalog/${SCORE_PRODUCT}/versions`, { as: 'credit-data', body: { modelVersion: '2.1.0' } });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toMatchObject({ id: SCORE_PRODUCT, modelVersion: '2.1.0' });
    const report = await e2e.call<{ report: { modelVersion: string } }>('/v1/risk-reports', { as: LENDER, body: { contractId, consentId, uscc: subject() } });
    expect(report.status, report.text).toBe(200);
    expect(report.body.report.modelVersion).toBe('2.1.0');
  });

  it('a risk report retried with one key makes one receipt, even when the gateway lost its answer', async () => {
    const body = { contractId, consentId, uscc: subject() };
    const receipts = async () => (await audit(`type=receipt_recorded&institution=${LENDER}&limit=1000`)).body.events.length;
    const before = await receipts();
    const first = await e2e.call<{ receipt: { receiptId: string } }>('/v1/risk-reports', { as: LENDER, body, headers: { 'idempotency-key': 'report-1' } });
    expect(first.status, first.text).toBe(200);
    const again = await e2e.call<{ receipt: { receiptId: string } }>('/v1/risk-reports', { as: LENDER, body, headers: { 'idempotency-key': 'report-1' } });
    expect(again.body).toEqual(first.body);
    // as if the gateway had crashed before keeping its answer: the exchange request id is the key's
    const lender = e2e.consortium.connectors.get(LENDER)!;
    const retried = await lender.consumer.requestReport({ contractId, consentId, subjectToken: lender.subjects.tokenOf(subject()), requestId: reportRequestId(LENDER, 'report-1')! });
    expect(retried.receipt.receiptId).toBe(first.body.receipt.receiptId);
    expect(await receipts()).toBe(before + 1);
  });

  it('either party terminates a contract; reports under it are then 422 CONTRACT_INVALID', async () => {
    // the chaincode refuses a non-party (contract ids are random UUIDs: nothing to learn from it)
    expectError(await e2e.call(`/v1/contracts/${contractId}/termination`, { as: OTHER, body: { reason: 'not mine' } }), 403, 'FORBIDDEN');
    const ended = await e2e.call(`/v1/contracts/${contractId}/termination`, { as: LENDER, body: { reason: 'loan repaid' } });
    expect(ended.status, ended.text).toBe(200);
    expect(ended.body).toMatchObject({ contractId, status: 'terminated' });
    expectError(await e2e.call('/v1/risk-reports', { as: LENDER, body: { contractId, consentId, uscc: subject() } }), 422, 'CONTRACT_INVALID');
  });

  it('the listing exchange withdraws a listing; the provider delists its product', async () => {
    const listed = await e2e.call<{ listing?: unknown }>(`/v1/catalog/${SCORE_PRODUCT}`, { as: 'exchange' });
    if (!listed.body.listing) {
      expect((await e2e.call(`/v1/catalog/${SCORE_PRODUCT}/listing`, { as: 'exchange', body: { certificateNo: 'GZDE-2026-E2E-01' } })).status).toBe(200);
    }
    expectError(await e2e.call(`/v1/catalog/${SCORE_PRODUCT}/listing`, { as: 'credit-data', method: 'DELETE' }), 403, 'FORBIDDEN');
    const withdrawn = await e2e.call(`/v1/catalog/${SCORE_PRODUCT}/listing`, { as: 'exchange', method: 'DELETE' });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.body).not.toHaveProperty('listing');

    expectError(await e2e.call(`/v1/catalog/${SCORE_PRODUCT}/delisting`, { as: 'exchange', body: {} }), 403, 'FORBIDDEN');
    const delisted = await e2e.call(`/v1/catalog/${SCORE_PRODUCT}/delisting`, { as: 'credit-data', method: 'POST' });
    expect(delisted.status, delisted.text).toBe(200);
    expect(delisted.body).toMatchObject({ id: SCORE_PRODUCT, status: 'delisted' });
    // no new contracts: the provider's connector no longer offers it
    expectError(await e2e.call('/v1/contracts', { as: OTHER, body: { productId: SCORE_PRODUCT, purpose: 'pre_loan' } }), 404, 'NOT_FOUND');
  });
});

describe('audit', () => {
  it('institution= matches events that name it as a party, not only those it submitted', async () => {
    // contracts are submitted by the provider; the consumer is a party
    const res = await audit(`type=contract_agreed&institution=${LENDER}&limit=1000`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.events.length).toBeGreaterThan(0);
    expect(res.body.events.every((e) => e.institution !== LENDER)).toBe(true);
  });

  it('subject=<uscc> gives the events about one enterprise; order=desc gives newest first', async () => {
    const who = uscc(20);
    const res = await audit(`subject=${who}&limit=1000`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.events.length).toBeGreaterThan(0);
    expect(res.text).not.toContain(who);
    const other = await audit(`subject=${uscc(21)}&limit=1000`);
    const ids = new Set(res.body.events.map((e) => e.txId));
    expect(other.body.events.filter((e) => ids.has(e.txId) && e.type === 'consent_granted')).toEqual([]);

    const desc = await audit('order=desc&limit=20');
    expect(desc.status, desc.text).toBe(200);
    const times = desc.body.events.map((e) => e.at);
    expect(times).toEqual([...times].sort().reverse());
    expectError(await audit('subject=not-a-uscc'), 400, 'BAD_REQUEST');
  });

  it('GET /v1/audit/stats counts per bucket, type and institution (regulator only)', async () => {
    const from = new Date(Date.now() - DAY_MS).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const res = await e2e.call<{ buckets: { start: string; type: string; institution: string; count: number }[] }>(`/v1/audit/stats?from=${from}&to=${to}&bucket=hour`, { as: 'regulator' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.buckets.length).toBeGreaterThan(0);
    expect(res.body.buckets.find((b) => b.type === 'lending_events_recorded' && b.institution === LENDER)?.count).toBeGreaterThanOrEqual(1);
    expectError(await e2e.call(`/v1/audit/stats?from=${from}&to=${to}&bucket=hour`, { as: LENDER }), 403, 'FORBIDDEN');
    expectError(await e2e.call(`/v1/audit/stats?from=${from}&to=${to}&bucket=week`, { as: 'regulator' }), 400, 'BAD_REQUEST');
  });
});

describe('operations and membership', () => {
  it('/readyz reports the connectors ready: libp2p, ledger and outbox', async () => {
    const res = await e2e.call('/readyz', { as: null });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ ready: true, checks: { ledger: true, connector: true, p2p: true, outbox: true } });
  });

  it('a rotated key is refused at once and stays refused after a restart', async () => {
    const old = e2e.credentials.institutions['bank-b']!.apiKey;
    const rotated = await e2e.call<{ apiKey: string }>('/v1/api-keys/rotation', { as: 'bank-b', body: {} });
    expect(rotated.status, rotated.text).toBe(201);
    const fresh = rotated.body.apiKey;
    const get = (key: string) => fetch(`${e2e.url}/v1/catalog`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);
    expect(await get(old)).toBe(401);
    expect(await get(fresh)).toBe(200);
    await e2e.restartGateway();
    expect(await get(old)).toBe(401);
    expect(await get(fresh)).toBe(200);
  });

  it('an institution admitted without a signer address is hosted here and can act at once with its apiKey', async () => {
    const res = await e2e.call<{ id: string; status: string; apiKey: string }>('/v1/institutions', { as: 'regulator', body: { id: 'bank-new', name: 'New Rural Bank', roles: ['bank'] } });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ id: 'bank-new', status: 'active' });
    expect(res.body.apiKey).toMatch(/^xl_/);
    const catalog = await fetch(`${e2e.url}/v1/catalog`, { headers: { authorization: `Bearer ${res.body.apiKey}` } });
    expect(catalog.status).toBe(200);
    const lending = await fetch(`${e2e.url}/v1/lending-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${res.body.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [{ uscc: uscc(30), type: 'application', occurredAt: new Date(Date.now() - 1_000).toISOString() }] }),
    });
    expect(lending.status, await lending.text()).toBe(201);
    // its key is kept (as a hash) with the others: it still works after a restart
    await e2e.restartGateway();
    expect((await fetch(`${e2e.url}/v1/catalog`, { headers: { authorization: `Bearer ${res.body.apiKey}` } })).status).toBe(200);
  });
});
