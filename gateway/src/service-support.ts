/**
 * Helpers of the connector-backed Services: how ledger records become API views, and the
 * checks the gateway makes on free-form input before anything reaches a connector.
 */
import { isCodedError, type Consent, type Product as LedgerProduct, type UsageContract } from '@xinlian/chaincode';
import type { ReportReceipt } from '@xinlian/connector';
import { GatewayError } from './errors.js';
import type { ConsentView, ContractView, Institution, Product } from './services.js';

export function institutionView(i: { id: string; name: string; roles: string[]; status: string }): Institution {
  return { ...i } as unknown as Institution;
}

export function productView(p: LedgerProduct): Product {
  const { policy: _policy, ...rest } = p;
  return rest as unknown as Product;
}

export function consentView(c: Consent): ConsentView {
  const { signature: _s, ...rest } = c;
  return rest as unknown as ConsentView;
}

export function contractView(c: UsageContract): ContractView {
  return { ...c } as unknown as ContractView;
}

export function looksLikeReceipt(r: unknown): r is ReportReceipt {
  if (typeof r !== 'object' || r === null) return false;
  const o = r as Record<string, unknown>;
  return ['receiptId', 'contractId', 'consentId', 'outputHash', 'provider', 'signature'].every(
    (k) => typeof o[k] === 'string',
  ) && typeof o['issuedAt'] === 'number';
}

/**
 * Chaincode refusals of `consents:Grant` that mean the consent itself is invalid: it names a
 * subject nobody registered (so no registered signer can have signed it), a grantee that is
 * not an active member, or a product that does not exist or was delisted. API.md: 422.
 */
const CONSENT_REFERENCE_CODES: ReadonlySet<string> = new Set(['CC_NOT_FOUND', 'CC_INSTITUTION_INACTIVE', 'CC_PRODUCT_INACTIVE']);

export function consentReferenceInvalid(e: unknown): never {
  if (isCodedError(e) && CONSENT_REFERENCE_CODES.has(e.code)) {
    throw new GatewayError('GW_CONSENT_INVALID', e.message.replace(/^\[[A-Z0-9_]+\]\s*/, ''), { cause: e });
  }
  throw e;
}

/** Deepest nesting accepted in free-form documents (policies, output schemas, reports, receipts). */
const MAX_DOCUMENT_DEPTH = 32;

/**
 * Refuses a free-form JSON document that canonical JSON cannot encode (JSON.parse turns
 * `1e400` into Infinity) or that nests deeper than {@link MAX_DOCUMENT_DEPTH} (the hashing and
 * the policy parser recurse). Walks without recursion, so a hostile document cannot exhaust
 * the stack here either.
 * @throws GatewayError `GW_BAD_REQUEST`
 */
export function assertDocument(name: string, document: unknown): void {
  const pending: [unknown, number][] = [[document, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, depth] = next;
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new GatewayError('GW_BAD_REQUEST', `${name} holds a number beyond the range JSON numbers can carry`);
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_DOCUMENT_DEPTH) throw new GatewayError('GW_BAD_REQUEST', `${name} is nested deeper than ${MAX_DOCUMENT_DEPTH} levels`);
    for (const child of Array.isArray(value) ? value : Object.values(value)) pending.push([child, depth + 1]);
  }
}
