import { CodedError, isCodedError } from '@xinlian/chaincode';

/**
 * Codes of the connector's exchange layer (negotiation, transfer, verification). Refusals a
 * provider sends back travel as DENIED responses with these codes; the gateway maps them.
 */
export const ExchangeErrorCode = {
  /** The contract is unknown, not active, expired, or not between these parties. */
  CONTRACT_INVALID: 'CONN_CONTRACT_INVALID',
  /** The consent does not cover this consumer, product, purpose or time, or was revoked. */
  CONSENT_INVALID: 'CONN_CONSENT_INVALID',
  /** The provider holds no data on the subject. */
  SUBJECT_UNKNOWN: 'CONN_SUBJECT_UNKNOWN',
  /** The product is unknown, delisted, or not this provider's. */
  PRODUCT_UNAVAILABLE: 'CONN_PRODUCT_UNAVAILABLE',
  /** A response failed verification (signature, hash, or terms differ from the request). */
  VERIFICATION_FAILED: 'CONN_VERIFICATION_FAILED',
  /** A request id (idempotency key) was reused for a different request. */
  REQUEST_CONFLICT: 'CONN_REQUEST_CONFLICT',
  /** A message is malformed (missing or invalid fields). */
  BAD_MESSAGE: 'CONN_BAD_MESSAGE',
  /** The institution is not known on the ledger or has no reachable endpoint. */
  INSTITUTION_UNREACHABLE: 'CONN_INSTITUTION_UNREACHABLE',
  /** The product's kind has no model here (`check`, `alert`): nothing can be released under it. */
  KIND_UNSUPPORTED: 'CONN_KIND_UNSUPPORTED',
  /** A provider asked for a contract on its own product. */
  OWN_PRODUCT: 'CONN_OWN_PRODUCT',
} as const;
export type ExchangeErrorCode = (typeof ExchangeErrorCode)[keyof typeof ExchangeErrorCode];

/** A coded exchange error; `rule` names the policy rule for policy denials. */
export class ExchangeError extends CodedError {
  readonly rule?: string;

  constructor(code: string, message: string, options: { rule?: string; cause?: unknown } = {}) {
    super(code, message, options.rule !== undefined ? { rule: options.rule } : undefined);
    if (options.cause !== undefined) this.cause = options.cause;
    if (options.rule !== undefined) this.rule = options.rule;
  }
}

/** True when `e` is an exchange error (optionally with `code`); compares names and codes, not classes. */
export function isExchangeError(e: unknown, code?: string): e is ExchangeError {
  return isCodedError(e, code) && (e as { name?: unknown }).name === 'ExchangeError';
}
