/**
 * THE table from every layer's error codes (chaincode `CC_*`, ledger `LEDGER_*`, connector
 * `CONN_*`, gateway `GW_*`, fastify `FST_*`) to the public codes and statuses of shared/API.md.
 * Nothing else in the gateway decides a status for an error.
 */
import { isCodedError } from './errors.js';

/** The public error codes of shared/API.md (plus INTERNAL for hidden 500s). */
export type PublicErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'POLICY_DENIED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'CONSENT_INVALID'
  | 'CONTRACT_INVALID'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

interface Mapping {
  readonly status: number;
  readonly code: PublicErrorCode;
}

const BAD_REQUEST: Mapping = { status: 400, code: 'BAD_REQUEST' };
const UNAUTHENTICATED: Mapping = { status: 401, code: 'UNAUTHENTICATED' };
const FORBIDDEN: Mapping = { status: 403, code: 'FORBIDDEN' };
const POLICY_DENIED: Mapping = { status: 403, code: 'POLICY_DENIED' };
const NOT_FOUND: Mapping = { status: 404, code: 'NOT_FOUND' };
const CONFLICT: Mapping = { status: 409, code: 'CONFLICT' };
const CONSENT_INVALID: Mapping = { status: 422, code: 'CONSENT_INVALID' };
const CONTRACT_INVALID: Mapping = { status: 422, code: 'CONTRACT_INVALID' };
const RATE_LIMITED: Mapping = { status: 429, code: 'RATE_LIMITED' };
const UNAVAILABLE: Mapping = { status: 503, code: 'UNAVAILABLE' };
const INTERNAL: Mapping = { status: 500, code: 'INTERNAL' };

/**
 * Exact codes, checked first. Chaincode codes from chaincode/src/errors.ts, ledger codes from
 * network/src/errors.ts, connector codes from connector/src/{domain,exchange,p2p,policy}.
 */
const EXACT: Readonly<Record<string, Mapping>> = {
  // gateway
  GW_BAD_REQUEST: BAD_REQUEST,
  GW_PAYLOAD_TOO_LARGE: { status: 413, code: 'BAD_REQUEST' },
  GW_UNSUPPORTED_MEDIA_TYPE: { status: 415, code: 'BAD_REQUEST' },
  GW_UNAUTHENTICATED: UNAUTHENTICATED,
  GW_FORBIDDEN: FORBIDDEN,
  GW_INSTITUTION_SUSPENDED: FORBIDDEN,
  GW_POLICY_DENIED: POLICY_DENIED,
  GW_NOT_FOUND: NOT_FOUND,
  GW_CONFLICT: CONFLICT,
  GW_CONSENT_INVALID: CONSENT_INVALID,
  GW_CONTRACT_INVALID: CONTRACT_INVALID,
  GW_RATE_LIMITED: RATE_LIMITED,
  GW_UNAVAILABLE: UNAVAILABLE,
  GW_CONFIG: INTERNAL,
  GW_INTERNAL: INTERNAL,
  // ledger client: the ledger at fault is 503 (retry later); only our own misuse of the client is 500
  LEDGER_UNAVAILABLE: UNAVAILABLE,
  LEDGER_TIMEOUT: UNAVAILABLE,
  LEDGER_MVCC_READ_CONFLICT: UNAVAILABLE,
  LEDGER_ENDORSEMENT_FAILED: UNAVAILABLE,
  LEDGER_INVALID_TRANSACTION: UNAVAILABLE,
  LEDGER_INTEGRITY_FAILED: UNAVAILABLE,
  LEDGER_BAD_REQUEST: INTERNAL,
  // chaincode (chaincode/src/errors.ts ErrorCode: every code is here)
  CC_BAD_REQUEST: BAD_REQUEST,
  CC_UNKNOWN_CALLER: FORBIDDEN,
  CC_ALREADY_INITIALIZED: CONFLICT,
  CC_INSTITUTION_SUSPENDED: FORBIDDEN,
  CC_INSTITUTION_INACTIVE: CONFLICT,
  CC_FORBIDDEN: FORBIDDEN,
  CC_NOT_FOUND: NOT_FOUND,
  CC_CONFLICT: CONFLICT,
  CC_INVALID_STATE: CONFLICT,
  // the only signatures a client sends are the enterprise's (consent, revocation)
  CC_BAD_SIGNATURE: CONSENT_INVALID,
  CC_CONSENT_NOT_FOUND: CONSENT_INVALID,
  CC_CONSENT_REVOKED: CONSENT_INVALID,
  CC_CONSENT_EXPIRED: CONSENT_INVALID,
  CC_CONSENT_NOT_YET_VALID: CONSENT_INVALID,
  CC_CONSENT_GRANTEE_MISMATCH: CONSENT_INVALID,
  CC_CONSENT_PRODUCT_MISMATCH: CONSENT_INVALID,
  CC_CONSENT_PURPOSE_MISMATCH: CONSENT_INVALID,
  CC_CONSENT_SUBJECT_MISMATCH: CONSENT_INVALID,
  CC_CONTRACT_INACTIVE: CONTRACT_INVALID,
  CC_CONTRACT_EXPIRED: CONTRACT_INVALID,
  CC_CONTRACT_MISMATCH: CONTRACT_INVALID,
  CC_PURPOSE_NOT_ALLOWED: POLICY_DENIED,
  CC_PRODUCT_INACTIVE: CONFLICT,
  CC_LENDING_SEQUENCE: CONFLICT,
  CC_CHECK_EXPIRED: NOT_FOUND,
  // a failure inside the chaincode is the ledger at fault
  CC_INTERNAL: UNAVAILABLE,
  // connector: store and domain
  CONN_BAD_INPUT: BAD_REQUEST,
  CONN_BAD_POLICY: BAD_REQUEST,
  CONN_NOT_FOUND: NOT_FOUND,
  CONN_CONFLICT: CONFLICT,
  CONN_STORE_UNAVAILABLE: UNAVAILABLE,
  CONN_REQUEST_CONFLICT: CONFLICT,
  CONN_OWN_PRODUCT: CONFLICT,
  CONN_KIND_UNSUPPORTED: CONTRACT_INVALID,
  // connector: exchanges with other institutions
  CONN_CONTRACT_INVALID: CONTRACT_INVALID,
  CONN_CONSENT_INVALID: CONSENT_INVALID,
  CONN_SUBJECT_UNKNOWN: NOT_FOUND,
  CONN_PRODUCT_UNAVAILABLE: NOT_FOUND,
  CONN_VERIFICATION_FAILED: UNAVAILABLE,
  CONN_INSTITUTION_UNREACHABLE: UNAVAILABLE,
  // connector: libp2p transport (a failed exchange with a peer is the peer being unavailable)
  CONN_PEER_UNAUTHORIZED: FORBIDDEN,
  CONN_BAD_SIGNATURE: UNAVAILABLE,
  CONN_REPLAY: UNAVAILABLE,
  CONN_EXPIRED: UNAVAILABLE,
  CONN_TOO_LARGE: UNAVAILABLE,
  CONN_TIMEOUT: UNAVAILABLE,
  CONN_ABORTED: UNAVAILABLE,
  CONN_PEER_UNREACHABLE: UNAVAILABLE,
  CONN_BAD_MESSAGE: UNAVAILABLE,
  CONN_UNAVAILABLE: UNAVAILABLE,
  CONN_PROTOCOL_UNSUPPORTED: UNAVAILABLE,
  CONN_NOT_READY: UNAVAILABLE,
  CONN_REMOTE_DENIED: POLICY_DENIED,
  CONN_REMOTE_NOT_FOUND: NOT_FOUND,
  CONN_REMOTE_ERROR: UNAVAILABLE,
  CONN_HANDLER_FAILED: UNAVAILABLE,
  // connector: policy engine (connector/src/policy PolicyDenyCode)
  CONN_POLICY_INSTITUTION: POLICY_DENIED,
  CONN_POLICY_ROLE: POLICY_DENIED,
  CONN_POLICY_PURPOSE: POLICY_DENIED,
  CONN_POLICY_NOT_YET_VALID: POLICY_DENIED,
  CONN_POLICY_EXPIRED: POLICY_DENIED,
  CONN_POLICY_MAX_USES: POLICY_DENIED,
  CONN_POLICY_RATE_LIMIT: POLICY_DENIED,
  CONN_POLICY_CLEARANCE: POLICY_DENIED,
  CONN_POLICY_CONSENT_REQUIRED: POLICY_DENIED,
  CONN_POLICY_PROHIBITED: POLICY_DENIED,
  CONN_POLICY_NO_PERMISSION: POLICY_DENIED,
  CONN_KEYS_PERMISSIONS: INTERNAL,
  CONN_KEYS_CORRUPT: INTERNAL,
  CONN_INTERNAL: INTERNAL,
};

/** Errors that carry what the remote institution said (`remote: { code, message, rule? }`). */
const REMOTE_WRAPPERS: ReadonlySet<string> = new Set(['CONN_REMOTE_DENIED', 'CONN_REMOTE_NOT_FOUND', 'CONN_REMOTE_ERROR']);

/** Families of codes, in order, for codes not in {@link EXACT}. */
const FAMILIES: readonly (readonly [RegExp, Mapping])[] = [
  [/^(CC|CONN|GW)_\w*NOT_FOUND$/, NOT_FOUND],
  [/^(CC|CONN)_CONSENT_/, CONSENT_INVALID],
  [/^(CC|CONN)_CONTRACT_/, CONTRACT_INVALID],
  [/^(CC|CONN)_POLICY_/, POLICY_DENIED],
  [/^(CC|CONN)_\w*(CONFLICT|ALREADY_EXISTS|DUPLICATE|IN_USE)$/, CONFLICT],
  [/^(CC|CONN)_\w*(FORBIDDEN|ROLE|SUSPENDED|NOT_ACTIVE|NOT_MEMBER)\w*$/, FORBIDDEN],
  [/^(CC|CONN)_\w*(BAD_REQUEST|INVALID_ARGUMENT|MALFORMED)\w*$/, BAD_REQUEST],
  [/^CONN_\w*(UNAVAILABLE|UNREACHABLE|TIMEOUT|DIAL)\w*$/, UNAVAILABLE],
  [/^LEDGER_/, UNAVAILABLE],
];

/** Client-error statuses raised by fastify and its plugins (`FST_*`, body parser, router). */
function byHttpStatus(status: number): Mapping {
  switch (status) {
    case 401:
      return UNAUTHENTICATED;
    case 403:
      return FORBIDDEN;
    case 404:
      return NOT_FOUND;
    case 409:
      return CONFLICT;
    case 429:
      return RATE_LIMITED;
    default:
      return { status, code: 'BAD_REQUEST' };
  }
}

/** The public error body of shared/API.md. `reason` (the internal code) is an added field on 4xx. */
export interface PublicErrorBody {
  readonly error: {
    readonly code: PublicErrorCode;
    readonly message: string;
    readonly rule?: string;
    readonly reason?: string;
    readonly requestId?: string;
  };
}

export interface MappedError {
  readonly status: number;
  readonly body: PublicErrorBody;
  /** True when the status is 5xx: the original message was hidden and should be logged. */
  readonly hidden: boolean;
  /** True when the error's code is not in the table (worth a log line at error level). */
  readonly unmapped: boolean;
}

const HIDDEN_MESSAGE: Readonly<Record<number, string>> = {
  500: 'internal error',
  503: 'the ledger or a peer institution is unavailable; retry later',
};

/** Clearer messages for fastify's own client errors. */
const FASTIFY_MESSAGES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported Content-Type: send application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'request body is too large',
};

/** `[CC_CODE] text` → `text`: the code is already in `reason`. */
function cleanMessage(message: string): string {
  return message.replace(/^\s*\[[A-Z][A-Z0-9_]*\]\s*/, '').trim() || 'request refused';
}

function lookup(code: string): Mapping | undefined {
  const exact = EXACT[code];
  if (exact) return exact;
  for (const [pattern, mapping] of FAMILIES) if (pattern.test(code)) return mapping;
  return undefined;
}

interface Normalised {
  readonly code?: string;
  readonly message: string;
  readonly rule?: string;
  readonly mapping?: Mapping;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Reads code, message and rule; for a connector error wrapping a remote refusal, the remote's. */
function normalise(e: unknown): Normalised & { readonly statusCode?: number; readonly validation: boolean } {
  const err = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
  const statusCode = typeof err['statusCode'] === 'number' ? err['statusCode'] : undefined;
  const base = { message: str(err['message']) ?? 'request failed', validation: err['validation'] !== undefined, ...(statusCode !== undefined ? { statusCode } : {}) };
  const code = isCodedError(e) ? e.code : undefined;
  if (code === undefined || code.startsWith('FST_')) return { ...base, ...(code !== undefined ? { code } : {}) };
  const remote = err['remote'] as Record<string, unknown> | undefined;
  const remoteCode = REMOTE_WRAPPERS.has(code) && typeof remote === 'object' && remote !== null ? str(remote['code']) : undefined;
  if (remote && remoteCode !== undefined) {
    const own = lookup(remoteCode);
    const mapping = own === undefined ? EXACT[code] : own.status >= 500 ? UNAVAILABLE : own;
    const rule = str(remote['rule']) ?? str(err['rule']);
    return { ...base, code: remoteCode, message: str(remote['message']) ?? base.message, ...(rule !== undefined ? { rule } : {}), ...(mapping ? { mapping } : {}) };
  }
  const rule = str(err['rule']);
  const mapping = lookup(code);
  return { ...base, code, ...(rule !== undefined ? { rule } : {}), ...(mapping ? { mapping } : {}) };
}

/**
 * Maps any thrown value to the public status and error JSON. Never throws.
 * - coded errors (`code` string) go through the table; an unknown code is a hidden 500;
 * - a connector error wrapping a remote refusal is mapped by the remote's code and rule;
 * - fastify client errors (`statusCode` 4xx, `validation`) keep their status with a 4xx code;
 * - POLICY_DENIED always carries a `rule` (the internal code when none was named);
 * - 5xx messages are replaced by a fixed text (the caller logs the original).
 */
export function mapError(e: unknown, requestId?: string): MappedError {
  const n = normalise(e);
  let mapping = n.validation ? BAD_REQUEST : n.mapping;
  let unmapped = false;
  if (mapping === undefined) {
    if (n.statusCode !== undefined && n.statusCode >= 400 && n.statusCode < 500) mapping = byHttpStatus(n.statusCode);
    else {
      mapping = INTERNAL;
      unmapped = true;
    }
  }
  const hidden = mapping.status >= 500;
  const rule = mapping.code === 'POLICY_DENIED' ? (n.rule ?? n.code) : undefined;
  const body: PublicErrorBody = {
    error: {
      code: mapping.code,
      message: hidden
        ? (HIDDEN_MESSAGE[mapping.status] ?? 'internal error')
        : ((n.code !== undefined ? FASTIFY_MESSAGES[n.code] : undefined) ?? cleanMessage(n.message)),
      ...(rule !== undefined ? { rule } : {}),
      ...(!hidden && n.code !== undefined ? { reason: n.code } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
    },
  };
  return { status: mapping.status, body, hidden, unmapped };
}
