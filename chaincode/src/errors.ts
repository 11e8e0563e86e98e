import { CodedError } from './coded-error.js';

/**
 * The chaincode's error codes: every refusal is thrown (or recorded as a denial) with a
 * message that starts with one of these codes, e.g. `[CC_CONSENT_REVOKED] consent c-42 ...`.
 * Callers compare the code string, never the prose.
 */
export const ErrorCode = {
  /** Malformed or missing argument; thrown, never recorded. */
  BAD_REQUEST: 'CC_BAD_REQUEST',
  /** The caller's ledger identity is bound to no institution (or the chaincode is not initialised); thrown. */
  UNKNOWN_CALLER: 'CC_UNKNOWN_CALLER',
  /** `institutions:Initialize` was already called. */
  ALREADY_INITIALIZED: 'CC_ALREADY_INITIALIZED',
  /** The calling institution is suspended. */
  INSTITUTION_SUSPENDED: 'CC_INSTITUTION_SUSPENDED',
  /** Another institution named in the request (grantee, party) is not active. */
  INSTITUTION_INACTIVE: 'CC_INSTITUTION_INACTIVE',
  /** The caller lacks the role, or is not the owner / party the action requires. */
  FORBIDDEN: 'CC_FORBIDDEN',
  /** A referenced record does not exist. */
  NOT_FOUND: 'CC_NOT_FOUND',
  /** The id (or certificate number, peer id, ledger identity) is already used by a different record. */
  CONFLICT: 'CC_CONFLICT',
  /** The record is not in a state that allows this action (e.g. already suspended, delisted). */
  INVALID_STATE: 'CC_INVALID_STATE',
  /** An EIP-712 signature does not recover to the address it must come from. */
  BAD_SIGNATURE: 'CC_BAD_SIGNATURE',
  /** The consent does not exist. */
  CONSENT_NOT_FOUND: 'CC_CONSENT_NOT_FOUND',
  /** The consent was revoked by the enterprise. */
  CONSENT_REVOKED: 'CC_CONSENT_REVOKED',
  /** The consent's `validUntil` has passed. */
  CONSENT_EXPIRED: 'CC_CONSENT_EXPIRED',
  /** The consent's `issuedAt` is after the time of use. */
  CONSENT_NOT_YET_VALID: 'CC_CONSENT_NOT_YET_VALID',
  /** The consent names another grantee institution. */
  CONSENT_GRANTEE_MISMATCH: 'CC_CONSENT_GRANTEE_MISMATCH',
  /** The consent does not cover the product (or no product of the required kind). */
  CONSENT_PRODUCT_MISMATCH: 'CC_CONSENT_PRODUCT_MISMATCH',
  /** The consent was given for another purpose. */
  CONSENT_PURPOSE_MISMATCH: 'CC_CONSENT_PURPOSE_MISMATCH',
  /** The consent is about another subject token. */
  CONSENT_SUBJECT_MISMATCH: 'CC_CONSENT_SUBJECT_MISMATCH',
  /** The usage contract was terminated. */
  CONTRACT_INACTIVE: 'CC_CONTRACT_INACTIVE',
  /** The usage contract's `validUntil` has passed. */
  CONTRACT_EXPIRED: 'CC_CONTRACT_EXPIRED',
  /** The usage contract does not match the request (product, provider, consumer). */
  CONTRACT_MISMATCH: 'CC_CONTRACT_MISMATCH',
  /** The purpose is not allowed by the product's policy. */
  PURPOSE_NOT_ALLOWED: 'CC_PURPOSE_NOT_ALLOWED',
  /** The product is delisted, or its provider is suspended. */
  PRODUCT_INACTIVE: 'CC_PRODUCT_INACTIVE',
  /** A lending event does not follow the lender's own lifecycle for the subject (e.g. `overdue` without an open `loan`). */
  LENDING_SEQUENCE: 'CC_LENDING_SEQUENCE',
  /** The multi-lending check request is older than its 15-minute result window. */
  CHECK_EXPIRED: 'CC_CHECK_EXPIRED',
  /** Unexpected failure inside the chaincode; thrown. */
  INTERNAL: 'CC_INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One-line description of every code (for docs and error tables of upper layers). */
export const ERROR_DESCRIPTIONS: Readonly<Record<ErrorCode, string>> = {
  CC_BAD_REQUEST: 'malformed or missing argument',
  CC_UNKNOWN_CALLER: 'the ledger identity is not bound to any institution',
  CC_ALREADY_INITIALIZED: 'the chaincode was already initialised',
  CC_INSTITUTION_SUSPENDED: 'the calling institution is suspended',
  CC_INSTITUTION_INACTIVE: 'an institution named in the request is not active',
  CC_FORBIDDEN: 'the caller lacks the role or ownership the action requires',
  CC_NOT_FOUND: 'a referenced record does not exist',
  CC_CONFLICT: 'the identifier is already used by a different record',
  CC_INVALID_STATE: 'the record is not in a state that allows this action',
  CC_BAD_SIGNATURE: 'a signature does not come from the required signer',
  CC_CONSENT_NOT_FOUND: 'the consent does not exist',
  CC_CONSENT_REVOKED: 'the consent was revoked',
  CC_CONSENT_EXPIRED: 'the consent has expired',
  CC_CONSENT_NOT_YET_VALID: 'the consent was issued after the time of use',
  CC_CONSENT_GRANTEE_MISMATCH: 'the consent names another grantee',
  CC_CONSENT_PRODUCT_MISMATCH: 'the consent does not cover the product',
  CC_CONSENT_PURPOSE_MISMATCH: 'the consent was given for another purpose',
  CC_CONSENT_SUBJECT_MISMATCH: 'the consent is about another subject',
  CC_CONTRACT_INACTIVE: 'the usage contract was terminated',
  CC_CONTRACT_EXPIRED: 'the usage contract has expired',
  CC_CONTRACT_MISMATCH: 'the usage contract does not match the request',
  CC_PURPOSE_NOT_ALLOWED: 'the purpose is not allowed by the product policy',
  CC_PRODUCT_INACTIVE: 'the product is delisted or its provider is suspended',
  CC_LENDING_SEQUENCE: 'a lending event does not follow the lender\'s own lifecycle for the subject',
  CC_CHECK_EXPIRED: 'the multi-lending check result window has passed',
  CC_INTERNAL: 'unexpected chaincode failure',
};

/** Codes that are not recorded as denials: nothing to attribute, or not a refusal. */
const NOT_DENIABLE: ReadonlySet<string> = new Set<ErrorCode>([
  ErrorCode.BAD_REQUEST,
  ErrorCode.UNKNOWN_CALLER,
  ErrorCode.ALREADY_INITIALIZED,
  ErrorCode.INTERNAL,
]);

/**
 * A chaincode refusal: a {@link CodedError} whose message also starts with `[CODE]`, because
 * only the message survives Fabric's transport (see {@link errorCodeOf}).
 */
export class ChaincodeRefusal extends CodedError {
  declare readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(code, `[${code}] ${message}`);
  }
}

/** Builds a coded error to throw: `throw ccError(ErrorCode.NOT_FOUND, 'product p1 not found')`. */
export function ccError(code: ErrorCode, message: string): ChaincodeRefusal {
  return new ChaincodeRefusal(code, message);
}

/** The `CC_*` code an error carries (from its `code` or its message prefix), if any. */
export function errorCodeOf(e: unknown): ErrorCode | undefined {
  if (e instanceof ChaincodeRefusal) return e.code;
  const message = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
  const match = /^\[(CC_[A-Z0-9_]+)\]/.exec(message);
  if (!match) return undefined;
  const code = match[1] as ErrorCode;
  return code in ERROR_DESCRIPTIONS ? code : undefined;
}

/** True when a refusal with this code by a known member is recorded as a denial. */
export function isDeniable(code: ErrorCode): boolean {
  return !NOT_DENIABLE.has(code);
}
