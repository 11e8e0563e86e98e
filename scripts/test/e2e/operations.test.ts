/**
 * Multi-lending checks against the synthetic data's ground truth, all-or-nothing lending
 * batches, exchange listings with duplicate certificates, and suspension — end to end
 * through a real port, real connectors and the embedded ledger.
 */
import { defaultProductPolicy, type EnterpriseRecord } from '@xinlian/connector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CERTIFICATE_NO, DEMO_INSTITUTIONS } from '../../src/demo/plan.js';
import { startE2E, type E2E } from './harness.js';
import { CHECK_PRODUCT, DAY_MS, expectError, grantConsent, groundTruth, SCORE_PRODUCT } from './flows.js';

const CHECKER = 'microloan-a';
const REPORTER = 'microloan-b';
/** Synthetic lender id → the demo institution that reports its history. */
const INSTITUTION_OF = new Map(DEMO_INSTITUTIONS.filter((p) => p.syntheticLender).map((p) => [p.syntheticLender!, p.id]));
const OTHER_INSTITUTIONS = DEMO_INSTITUTIONS.map((p) => p.id).filter((id) => id !== CHECKER);

interface Window {
  institutions: number;
  applications: number;
}
interface CheckBody {
  checkId: string;
  txId: string;
  requestedAt: string;
  windows: Record<'7d' | '30d' | '90d', Window>;
  overdueInstitutions: number;
  openLoans: number;
  alert: boolean;
}

let e2e: E2E;
let multiBorrower: EnterpriseRecord;
let quiet: EnterpriseRecord;

beforeAll(async () => {
  e2e = await startE2E();
  const truth = await groundTruth(e2e);
  const registered = new Set(e2e.credentials.subjects.map((s) => s.uscc));
  const candidates = [...truth.values()].filter((t) => registered.has(t.record.uscc));
  const planted = candidates.filter((t) => t.truth.multiBorrower).map((t) => t.record);
  // the planted multi-borrower whose other lenders are most numerous
  planted.sort((a, b) => distinctOtherLenders(b) - distinctOtherLenders(a));
  multiBorrower = planted[0]!;
  quiet = candidates.find((t) => !t.truth.multiBorrower && !t.truth.ringId && t.record.lending.length === 0)!.record;
});
afterAll(async () => {
  await e2e?.close();
});

function distinctOtherLenders(r: EnterpriseRecord): number {
  return new Set(r.lending.map((e) => INSTITUTION_OF.get(e.lenderId)).filter((i) => i !== CHECKER)).size;
}

/** What the check must return, computed from the provider's ground truth (shared README semantics). */
function expectedCheck(record: EnterpriseRecord, requestedAt: string) {
  const at = Date.parse(requestedAt);
  const others = record.lending
    .map((e) => ({ ...e, type: e.type as string, institution: INSTITUTION_OF.get(e.lenderId)!, t: Date.parse(e.occurredAt) }))
    .filter((e) => e.institution !== CHECKER && e.t <= at)
    .sort((a, b) => a.t - b.t);
  const window = (days: number): Window => {
    const apps = others.filter((e) => e.type === 'application' && e.t > at - days * DAY_MS);
    return { institutions: new Set(apps.map((e) => e.institution)).size, applications: apps.length };
  };
  const windows = { '7d': window(7), '30d': window(30), '90d': window(90) };
  const overdue = new Map<string, number>();
  const loans = new Map<string, number>();
  for (const e of others) {
    if (e.type === 'settled') {
      overdue.delete(e.institution);
      loans.delete(e.institution);
    } else if (e.type === 'overdue') overdue.set(e.institution, e.t);
    else if (e.type === 'loan') loans.set(e.institution, (loans.get(e.institution) ?? 0) + 1);
  }
  const overdueInstitutions = [...overdue.values()].filter((t) => t > at - 90 * DAY_MS).length;
  return {
    windows,
    overdueInstitutions,
    openLoans: [...loans.values()].reduce((a, b) => a + b, 0),
    alert: windows['30d'].institutions >= 3 || overdueInstitutions >= 1,
  };
}

async function checkConsent(uscc: string, over: { as?: string; products?: string[]; purpose?: string; grantee?: string } = {}) {
  return grantConsent(e2e, {
    as: over.as ?? CHECKER,
    uscc,
    wallet: e2e.subjectWallet(uscc),
    products: over.products ?? [CHECK_PRODUCT],
    purpose: over.purpose ?? 'pre_loan',
    ...(over.grantee ? { grantee: over.grantee } : {}),
  });
}

async function check(uscc: string, consentId: string) {
  return e2e.call<CheckBody>('/v1/multi-lending/check', { as: CHECKER, body: { uscc, consentId } });
}

describe('multi-lending check against the ground truth', () => {
  it('returns the planted multi-borrower\'s counts over other institutions, and alerts', async () => {
    expect(distinctOtherLenders(multiBorrower)).toBeGreaterThanOrEqual(3);
    const { consentId } = await checkConsent(multiBorrower.uscc);
    const res = await check(multiBorrower.uscc, consentId);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ checkId: expect.any(String), txId: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const expected = expectedCheck(multiBorrower, res.body.requestedAt);
    expect(expected.windows['30d'].institutions).toBeGreaterThanOrEqual(3);
    expect(res.body).toMatchObject(expected);
    expect(res.body.alert).toBe(true);
    // counts only: never the other lenders' names, never the USCC
    // (the lender types bank/microlender/guarantor/other are keys; no value names an institution)
    const values: string[] = [];
    JSON.parse(res.text, (_key, value: unknown) => (typeof value === 'string' && values.push(value), value));
    for (const id of OTHER_INSTITUTIONS) expect(values).not.toContain(id);
    expect(res.text).not.toContain(multiBorrower.uscc);

    const audit = await e2e.call<{ events: { txId: string; institution: string }[] }>('/v1/audit/events?type=multilending_checked', { as: 'regulator' });
    expect(audit.body.events).toContainEqual(expect.objectContaining({ txId: res.body.txId, institution: CHECKER }));
  });

  it('returns zeros and no alert for an enterprise with no lending history', async () => {
    const { consentId } = await checkConsent(quiet.uscc);
    const res = await check(quiet.uscc, consentId);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      windows: { '7d': { institutions: 0, applications: 0 }, '30d': { institutions: 0, applications: 0 }, '90d': { institutions: 0, applications: 0 } },
      overdueInstitutions: 0,
      openLoans: 0,
      alert: false,
    });
  });

  it('refuses with 422 a consent that is not for a check product, or not for the caller', async () => {
    const scoreOnly = await checkConsent(multiBorrower.uscc, { products: [SCORE_PRODUCT] });
    expectError(await check(multiBorrower.uscc, scoreOnly.consentId), 422, 'CONSENT_INVALID');
    const others = await checkConsent(multiBorrower.uscc, { as: REPORTER });
    expectError(await check(multiBorrower.uscc, others.consentId), 422, 'CONSENT_INVALID');
    // a valid consent about another enterprise
    const quietConsent = await checkConsent(quiet.uscc);
    expectError(await check(multiBorrower.uscc, quietConsent.consentId), 422, 'CONSENT_INVALID');
  });
});

describe('lending events', () => {
  let consentId: string;
  const event = (type: string, msAgo: number) => ({ uscc: quiet.uscc, type, occurredAt: new Date(Date.now() - msAgo).toISOString() });

  it('a batch with one bad event is refused whole: nothing of it is accepted', async () => {
    consentId = (await checkConsent(quiet.uscc)).consentId;
    const bad = await e2e.call('/v1/lending-events', {
      as: REPORTER,
      body: { events: [event('application', 60_000), { ...event('loan', 0), occurredAt: new Date(Date.now() + DAY_MS).toISOString() }] },
    });
    expectError(bad, 400, 'BAD_REQUEST');
    const res = await check(quiet.uscc, consentId);
    expect(res.status, res.text).toBe(200);
    expect(res.body.windows['7d']).toMatchObject({ institutions: 0, applications: 0 });
    expect(res.body.openLoans).toBe(0);
  });

  it('a good batch is accepted whole in one transaction and shows in the next check', async () => {
    const res = await e2e.call<{ accepted: number; txIds: string[] }>('/v1/lending-events', {
      as: REPORTER,
      body: { events: [event('application', 120_000), { ...event('loan', 60_000), amount: 5_000_000 }] },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.accepted).toBe(2);
    expect(res.body.txIds).toHaveLength(1);
    expect(res.body.txIds[0]).toMatch(/^[0-9a-f]{64}$/);
    const after = await check(quiet.uscc, consentId);
    expect(after.status, after.text).toBe(200);
    expect(after.body).toMatchObject({ windows: { '7d': { institutions: 1, applications: 1 } }, openLoans: 1, alert: false });

    const audit = await e2e.call<{ events: Record<string, unknown>[] }>(`/v1/audit/events?type=lending_events_recorded&institution=${REPORTER}&limit=1000`, { as: 'regulator' });
    expect(audit.status, audit.text).toBe(200);
    expect(audit.body.events).toContainEqual(expect.objectContaining({ txId: res.body.txIds[0], institution: REPORTER, count: 2 }));
  });

  it("the checker's own events never count", async () => {
    const own = await e2e.call('/v1/lending-events', { as: CHECKER, body: { events: [event('application', 30_000)] } });
    expect(own.status, own.text).toBe(201);
    const res = await check(quiet.uscc, consentId);
    expect(res.body.windows['7d']).toMatchObject({ institutions: 1, applications: 1 });
  });

  it('a batch larger than one transaction takes is refused with 400, not split', async () => {
    const events = Array.from({ length: 600 }, (_, i) => event('repayment', 1000 * (i + 1)));
    const res = await e2e.call('/v1/lending-events', { as: REPORTER, body: { events } });
    expectError(res, 400, 'BAD_REQUEST');
  });
});

describe('catalogue and exchange listing', () => {
  it('a provider publishes a product whose policy its connector can parse', async () => {
    const body = {
      id: 'sme-alert',
      name: 'SME early-warning alert',
      kind: 'alert',
      classification: 3,
      policy: defaultProductPolicy({ productId: 'sme-alert' }),
      modelVersion: 'alert-1.0.0',
      outputSchema: { fields: ['alert', 'reasonCodes'] },
    };
    const res = await e2e.call('/v1/catalog/products', { as: 'credit-data', body });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ id: 'sme-alert', provider: 'credit-data', kind: 'alert', classification: 3, modelVersion: 'alert-1.0.0', status: 'active' });
    const read = await e2e.call('/v1/catalog/sme-alert', { as: CHECKER });
    expect(read.body['policy']).toEqual(JSON.parse(JSON.stringify(body.policy)));

    const mismatch = { ...body, id: 'sme-alert-2', policy: defaultProductPolicy({ productId: 'sme-alert' }) };
    expectError(await e2e.call('/v1/catalog/products', { as: 'credit-data', body: mismatch }), 400, 'BAD_REQUEST');
    expectError(await e2e.call('/v1/catalog/products', { as: 'credit-data', body }), 409, 'CONFLICT');
    expectError(await e2e.call('/v1/catalog/products', { as: CHECKER, body: { ...body, id: 'x-1', policy: defaultProductPolicy({ productId: 'x-1' }) } }), 403, 'FORBIDDEN');
  });

  it('a certificate number already used for another product is 409 CONFLICT', async () => {
    const res = await e2e.call(`/v1/catalog/${CHECK_PRODUCT}/listing`, { as: 'exchange', body: { certificateNo: DEMO_CERTIFICATE_NO } });
    expectError(res, 409, 'CONFLICT');
    const product = await e2e.call(`/v1/catalog/${CHECK_PRODUCT}`, { as: 'exchange' });
    expect(product.status).toBe(200);
    expect(product.body['listing']).toBeUndefined();
  });

  it('a fresh certificate lists the product, which then carries its listing and policy', async () => {
    const res = await e2e.call(`/v1/catalog/${CHECK_PRODUCT}/listing`, { as: 'exchange', body: { certificateNo: 'GZDE-2026-000999' } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id: CHECK_PRODUCT, listing: { exchange: 'exchange', certificateNo: 'GZDE-2026-000999', listedAt: expect.any(String) } });
    const product = await e2e.call(`/v1/catalog/${CHECK_PRODUCT}`, { as: CHECKER });
    expect(product.body).toMatchObject({ id: CHECK_PRODUCT, provider: 'credit-data', kind: 'check', listing: { certificateNo: 'GZDE-2026-000999' }, policy: expect.any(Object) });
  });

  it('only an exchange lists products', async () => {
    expectError(await e2e.call(`/v1/catalog/${CHECK_PRODUCT}/listing`, { as: 'credit-data', body: { certificateNo: 'GZDE-2026-000998' } }), 403, 'FORBIDDEN');
  });
});

describe('suspension', () => {
  const SUSPENDED = 'microloan-c';

  it('only the regulator suspends', async () => {
    expectError(await e2e.call(`/v1/institutions/${SUSPENDED}/suspension`, { as: CHECKER, body: { reason: 'no' } }), 403, 'FORBIDDEN');
  });

  it("a suspended institution's key gets 403 everywhere but /healthz", async () => {
    const res = await e2e.call(`/v1/institutions/${SUSPENDED}/suspension`, { as: 'regulator', body: { reason: 'licence under review' } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id: SUSPENDED, status: 'suspended' });

    expect(await e2e.call('/healthz', { as: SUSPENDED })).toMatchObject({ status: 200, body: { status: 'ok' } });
    const refused: [string, string, unknown?][] = [
      ['GET', '/readyz'],
      ['GET', '/docs/json'],
      ['GET', '/v1/institutions'],
      ['GET', '/v1/catalog'],
      ['GET', `/v1/catalog/${SCORE_PRODUCT}`],
      ['GET', '/v1/consents/cst-any'],
      ['GET', '/v1/contracts/ctr-any'],
      ['GET', '/v1/provenance/rcpt-any'],
      ['GET', '/v1/audit/events'],
      ['POST', '/v1/contracts', { productId: SCORE_PRODUCT, purpose: 'pre_loan' }],
      ['POST', '/v1/risk-reports', { contractId: 'ctr-x', consentId: 'cst-x', uscc: quiet.uscc }],
      ['POST', '/v1/lending-events', { events: [{ uscc: quiet.uscc, type: 'application', occurredAt: new Date().toISOString() }] }],
      ['POST', '/v1/multi-lending/check', { uscc: quiet.uscc, consentId: 'cst-x' }],
      ['POST', '/v1/consents/draft', { uscc: quiet.uscc, grantee: SUSPENDED, products: [CHECK_PRODUCT], purpose: 'pre_loan', validUntil: new Date(Date.now() + DAY_MS).toISOString() }],
      ['POST', '/v1/provenance/verify', { report: {}, receipt: {} }],
      // bad input is refused as forbidden first: the key is not served at all
      ['POST', '/v1/contracts', '{"not json'],
    ];
    for (const [method, path, body] of refused) {
      const r = await e2e.call(path, { as: SUSPENDED, method, ...(body !== undefined ? { body } : {}) });
      expect({ method, path, status: r.status }).toEqual({ method, path, status: 403 });
      expectError(r, 403, 'FORBIDDEN');
    }
  });

  it('others are unaffected and see the suspension; the audit records it', async () => {
    const list = await e2e.call<{ institutions: { id: string; status: string }[] }>('/v1/institutions', { as: CHECKER });
    expect(list.status).toBe(200);
    expect(list.body.institutions.find((i) => i.id === SUSPENDED)?.status).toBe('suspended');
    expect(list.body.institutions.find((i) => i.id === CHECKER)?.status).toBe('active');
    const audit = await e2e.call<{ events: Record<string, unknown>[] }>('/v1/audit/events?type=institution_suspended', { as: 'regulator' });
    expect(audit.body.events).toContainEqual(expect.objectContaining({ type: 'institution_suspended', institution: 'regulator' }));
  });
});
