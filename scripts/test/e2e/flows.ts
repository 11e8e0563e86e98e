/**
 * Steps several end-to-end suites share, each done through the HTTP API as a client would,
 * asserting the shapes of shared/API.md on the way.
 */
import type { EnterpriseRecord, GroundTruth } from '@xinlian/connector';
import type { BaseWallet } from 'ethers';
import { expect } from 'vitest';
import { generateEnterprise, seedHash } from '../../src/synthetic/index.js';
import { dayStart } from '../../src/synthetic/time.js';
import { SEED, signTypedData, type E2E, type ErrorBody, type HttpResult, type TypedDataJson } from './harness.js';

export const SCORE_PRODUCT = 'sme-credit-score';
export const CHECK_PRODUCT = 'multi-lending-check';
export const DAY_MS = 86_400_000;

/** Asserts the exact error shape of shared/API.md: status, public code, a message, no stack. */
export function expectError(res: HttpResult<unknown>, status: number, code: string): ErrorBody['error'] {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { error: { code } } });
  const error = (res.body as unknown as ErrorBody).error;
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  expect(res.text).not.toMatch(/\n\s+at /);
  return error;
}

export interface ConsentRequest {
  readonly as: string;
  readonly uscc: string;
  readonly wallet: BaseWallet;
  readonly products: readonly string[];
  readonly purpose: string;
  readonly grantee?: string;
  readonly validForMs?: number;
}

/** Drafts a consent through the gateway and signs it with the enterprise's key. */
export async function draftAndSignConsent(e2e: E2E, r: ConsentRequest): Promise<{ message: Record<string, unknown>; signature: string }> {
  const draft = await e2e.call<{ typedData: TypedDataJson }>('/v1/consents/draft', {
    as: r.as,
    body: {
      uscc: r.uscc,
      grantee: r.grantee ?? r.as,
      products: r.products,
      purpose: r.purpose,
      validUntil: new Date(Date.now() + (r.validForMs ?? 30 * DAY_MS)).toISOString(),
    },
  });
  expect(draft.status, draft.text).toBe(200);
  const typed = draft.body.typedData;
  expect(typed.primaryType).toBe('Consent');
  expect(typed.message).toMatchObject({ grantee: r.grantee ?? r.as, products: [...r.products], purpose: r.purpose });
  expect(JSON.stringify(typed)).not.toContain(r.uscc);
  return { message: typed.message, signature: await signTypedData(r.wallet, typed) };
}

/** Drafts, signs and records a consent; returns its id and transaction. */
export async function grantConsent(e2e: E2E, r: ConsentRequest): Promise<{ consentId: string; txId: string }> {
  const signed = await draftAndSignConsent(e2e, r);
  const res = await e2e.call<{ consentId: string; txId: string }>('/v1/consents', { as: r.as, body: signed });
  expect(res.status, res.text).toBe(201);
  expect(res.body.consentId).toBe(signed.message['consentId']);
  expect(res.body.txId).toMatch(/^[0-9a-f]{64}$/);
  return res.body;
}

/** Enterprises of the provider's synthetic data with their ground truth. */
export async function groundTruth(e2e: E2E): Promise<Map<string, { record: EnterpriseRecord; truth: GroundTruth }>> {
  const out = new Map<string, { record: EnterpriseRecord; truth: GroundTruth }>();
  for await (const [uscc, truth] of e2e.provider.store.groundTruth.entries()) {
    const record = await e2e.provider.store.enterprises.get(uscc);
    if (record) out.set(uscc, { record, truth });
  }
  return out;
}

/**
 * Adds one enterprise to the provider's own data (as a new customer's records arriving at the
 * credit-data company), not yet registered on the ledger; returns its USCC.
 */
export async function plantEnterprise(e2e: E2E, index: number): Promise<string> {
  const asOf = new Date().toISOString().slice(0, 10);
  const { record, truth } = generateEnterprise(seedHash(SEED), index, dayStart(asOf));
  await e2e.provider.store.enterprises.put(record.uscc, record);
  await e2e.provider.store.groundTruth.put(truth.uscc, truth);
  await e2e.provider.subjects.reindex();
  return record.uscc;
}
