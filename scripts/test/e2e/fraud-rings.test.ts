/**
 * Fraud-ring checks over the real gateway port: the demo consortium (embedded ledger running
 * the real chaincode, connectors over libp2p on loopback), a lender asking through HTTP.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isP2PError, RING_CHECK_PROTOCOL } from '@xinlian/connector';
import { DEMO_PRODUCTS, DEMO_PROVIDER } from '../../src/demo/plan.js';
import { expectError, grantConsent, groundTruth, CHECK_PRODUCT } from './flows.js';
import { signTypedData, startE2E, type E2E, type TypedDataJson } from './harness.js';
import { eventPayloads, findIdentifiers, ledgerTexts } from './ledger-scan.js';

const LENDER = 'microloan-a';
const RING_PRODUCT = DEMO_PRODUCTS.ring.id;

interface RingCheck {
  checkId: string;
  txId: string;
  inRing: boolean;
  ring?: { ringId: string; size: number; sharedAttributes: string[]; lenders30d: number; applications30d: number; riskScore: number };
  alert: boolean;
}

describe('POST /v1/fraud-rings/check', () => {
  let e2e: E2E;
  let ringMember: string;
  let ringSize: number;
  let agencyClient: string;

  beforeAll(async () => {
    // 650 enterprises of the e2e seed hold two planted rings and an accounting agency's 24 clients.
    e2e = await startE2E({ enterprises: 650 });
    const truths = [...(await groundTruth(e2e)).values()];
    const member = truths.find((t) => t.truth.ringId)!;
    ringMember = member.record.uscc;
    ringSize = truths.filter((t) => t.truth.ringId === member.truth.ringId).length;
    agencyClient = truths.find((t) => t.truth.sharedGroup === 'agency')!.record.uscc;
  });
  afterAll(async () => {
    await e2e?.close();
  });

  async function check(uscc: string, products: string[] = [RING_PRODUCT]) {
    const consent = await grantConsent(e2e, { as: LENDER, uscc, wallet: e2e.subjectWallet(uscc), products, purpose: 'pre_loan' });
    return e2e.call<RingCheck>('/v1/fraud-rings/check', { as: LENDER, body: { uscc, consentId: consent.consentId } });
  }

  it('finds a planted ring member in a ring, recorded on the ledger, naming no other enterprise or institution', async () => {
    const res = await check(ringMember);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ inRing: true, alert: true, ring: { size: ringSize } });
    expect(res.body.ring!.sharedAttributes.length).toBeGreaterThanOrEqual(2);
    expect(res.body.ring!.lenders30d).toBeGreaterThanOrEqual(3);
    expect(res.body.txId).toMatch(/^[0-9a-f]{64}$/);
    const truths = await groundTruth(e2e);
    for (const uscc of truths.keys()) if (uscc !== ringMember) expect(res.text).not.toContain(uscc);
    for (const id of ['credit-data', 'microloan-b', 'microloan-c', 'bank-a', 'bank-b', 'lender-']) expect(res.text).not.toContain(id);
    const audit = await e2e.call<{ events: { type: string; institution: string; requester: string; txId: string }[] }>(`/v1/audit/events?type=fraudring_checked&subject=${ringMember}`, { as: 'regulator' });
    expect(audit.status, audit.text).toBe(200);
    expect(audit.body.events).toEqual([expect.objectContaining({ type: 'fraudring_checked', institution: LENDER, txId: res.body.txId })]);
  });

  it('does not put a benign firm sharing its agency\'s address and phone in a ring', async () => {
    const res = await check(agencyClient);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ inRing: false, alert: false });
    expect(res.body.ring).toBeUndefined();
  });

  it('refuses a consent that covers no ring product with 422 CONSENT_INVALID, recorded as a denial', async () => {
    const res = await check(ringMember, [CHECK_PRODUCT]);
    expectError(res, 422, 'CONSENT_INVALID');
    const denied = await e2e.call<{ events: { type: string; action: string; code: string }[] }>(`/v1/audit/events?type=denied&institution=${LENDER}&order=desc&limit=1`, { as: 'regulator' });
    expect(denied.body.events[0]).toMatchObject({ action: 'fraud-rings:RequestCheck', code: 'CC_CONSENT_PRODUCT_MISMATCH' });
  });

  /** Asks the provider's connector directly, as `asInstitution`'s connector, for a check id. */
  async function askProvider(asInstitution: string, checkId: string): Promise<{ status: string; code?: string; body?: unknown }> {
    const from = e2e.consortium.connectors.get(asInstitution)!;
    const inst = await from.ledger.getInstitution(DEMO_PROVIDER);
    const targets = inst.addresses.map((a) => (a.includes('/p2p/') ? a : `${a}/p2p/${inst.peerId}`));
    try {
      return { status: 'OK', body: await from.p2p.request(targets, RING_CHECK_PROTOCOL, { checkId }, { expectInstitution: DEMO_PROVIDER }) };
    } catch (e) {
      if (isP2PError(e) && e.remote) return { status: e.remote.status, code: e.remote.code };
      throw e;
    }
  }

  it('the provider answers only the requester of a recorded check, and not once its consent is revoked', async () => {
    const consent = await grantConsent(e2e, { as: LENDER, uscc: ringMember, wallet: e2e.subjectWallet(ringMember), products: [RING_PRODUCT], purpose: 'pre_loan' });
    const res = await e2e.call<RingCheck>('/v1/fraud-rings/check', { as: LENDER, body: { uscc: ringMember, consentId: consent.consentId } });
    expect(res.status, res.text).toBe(200);
    // The requester may ask again; another lender may not, and an unrecorded id is unknown.
    expect(await askProvider(LENDER, res.body.checkId)).toMatchObject({ status: 'OK', body: { inRing: true } });
    expect(await askProvider('microloan-b', res.body.checkId)).toEqual({ status: 'NOT_FOUND', code: 'CONN_CONSENT_INVALID' });
    expect(await askProvider(LENDER, 'ring-never-recorded')).toEqual({ status: 'NOT_FOUND', code: 'CONN_CONSENT_INVALID' });
    // Revoked after the check was recorded: the provider's own re-check refuses.
    const draft = await e2e.call<{ typedData: TypedDataJson }>(`/v1/consents/${consent.consentId}/revocation/draft`, { as: LENDER, method: 'POST' });
    const signature = await signTypedData(e2e.subjectWallet(ringMember), draft.body.typedData);
    expect((await e2e.call(`/v1/consents/${consent.consentId}/revocation`, { as: LENDER, body: { signature } })).status).toBe(200);
    expect(await askProvider(LENDER, res.body.checkId)).toEqual({ status: 'DENIED', code: 'CONN_CONSENT_INVALID' });
  });

  it('records a check retried with the same Idempotency-Key once, answering the first result, even when the gateway forgot the key', async () => {
    const consent = await grantConsent(e2e, { as: LENDER, uscc: ringMember, wallet: e2e.subjectWallet(ringMember), products: [RING_PRODUCT], purpose: 'pre_loan' });
    const key = `ring-${Date.now()}`;
    const post = () => e2e.call<RingCheck>('/v1/fraud-rings/check', { as: LENDER, body: { uscc: ringMember, consentId: consent.consentId }, headers: { 'Idempotency-Key': key } });
    const first = await post();
    expect(first.status, first.text).toBe(200);
    // the ledger check id is derived from the key: idem: + sha256(institution \n key), 40 hex
    const checkId = `idem:${createHash('sha256').update(`${LENDER}\n${key}`).digest('hex').slice(0, 40)}`;
    expect(first.body.checkId).toBe(checkId);
    expect(first.body).toMatchObject({ inRing: true, alert: true });
    expect((await post()).body).toEqual(first.body);
    // as after a crash between the commit and the stored answer: the connector asks again with the derived id
    const again = await e2e.consortium.connectors.get(LENDER)!.rings.check(ringMember, consent.consentId, checkId);
    expect(again).toEqual(first.body);
    const audit = await e2e.call<{ events: Record<string, unknown>[] }>(`/v1/audit/events?type=fraudring_checked&institution=${LENDER}&limit=1000`, { as: 'regulator' });
    expect(audit.body.events.filter((e) => e['checkId'] === checkId)).toHaveLength(1);
  });

  it('puts no identifier the detector uses (USCC, phone, address, legal representative) and no ring answer on the ledger', async () => {
    expect((await check(ringMember)).status).toBe(200);
    const identifiers: string[] = [];
    for await (const r of e2e.provider.store.enterprises.values()) identifiers.push(r.uscc, r.phone, r.address, r.legalRepresentative);
    const audit = await e2e.call<{ events: { checkId: string }[] }>('/v1/audit/events?type=fraudring_checked', { as: 'regulator' });
    expect(audit.body.events.length).toBeGreaterThanOrEqual(1);
    const ledger = e2e.consortium.ledger;
    const texts = [
      ...(await ledgerTexts(ledger)).map((b) => ({ where: `block ${b.block}`, text: b.text })),
      ...(await eventPayloads(ledger, e2e.provider.ledger)).map((e, i) => ({ where: `event ${i}`, text: e.payload })),
    ];
    expect(findIdentifiers(identifiers, texts)).toEqual([]);
    // The checks are there; no answer (ring id, size, shared kinds) is.
    expect(texts.some((t) => t.text.includes('fraudring_checked'))).toBe(true);
    expect(texts.some((t) => /"ringId"|"sharedAttributes"|"inRing"/.test(t.text))).toBe(false);
  });
});
