import { CodedError, isCodedError } from '@xinlian/chaincode';

/**
 * Errors of the connector's libp2p layer. Callers compare `code` (use
 * {@link isP2PError}), never `instanceof` across packages.
 */

export const P2PErrorCode = {
  /** The peer is not an active institution on the ledger, or signs as another one. */
  PEER_UNAUTHORIZED: 'CONN_PEER_UNAUTHORIZED',
  /** The envelope's signature does not recover the sender institution's signer. */
  BAD_SIGNATURE: 'CONN_BAD_SIGNATURE',
  /** The envelope's nonce was seen before. */
  REPLAY: 'CONN_REPLAY',
  /** The envelope expired, was issued in the future, or lives longer than allowed. */
  EXPIRED: 'CONN_EXPIRED',
  /** A message exceeds the size limit. */
  TOO_LARGE: 'CONN_TOO_LARGE',
  /** The exchange (or the remote handler) did not finish in time. */
  TIMEOUT: 'CONN_TIMEOUT',
  /** The caller's signal aborted the exchange. */
  ABORTED: 'CONN_ABORTED',
  /** The peer could not be dialled or the stream broke before an answer came. */
  PEER_UNREACHABLE: 'CONN_PEER_UNREACHABLE',
  /** Malformed frame, JSON or envelope, or an envelope meant for another protocol or recipient. */
  BAD_MESSAGE: 'CONN_BAD_MESSAGE',
  /** The remote handler refused (status DENIED); `remote` carries its code, message and rule. */
  REMOTE_DENIED: 'CONN_REMOTE_DENIED',
  /** The remote handler found nothing (status NOT_FOUND); `remote` carries its code and message. */
  REMOTE_NOT_FOUND: 'CONN_REMOTE_NOT_FOUND',
  /** The remote handler failed (status ERROR); `remote` carries its code and message. */
  REMOTE_ERROR: 'CONN_REMOTE_ERROR',
  /** The peer resolver (the ledger) failed, so nobody can be authorised right now. */
  UNAVAILABLE: 'CONN_UNAVAILABLE',
  /** The remote does not serve the protocol. */
  PROTOCOL_UNSUPPORTED: 'CONN_PROTOCOL_UNSUPPORTED',
  /** The service is not started, or a handler is registered twice. */
  NOT_READY: 'CONN_NOT_READY',
  /** A keys file is readable or writable by others than its owner. */
  KEYS_PERMISSIONS: 'CONN_KEYS_PERMISSIONS',
  /** A keys file is unreadable or malformed. */
  KEYS_CORRUPT: 'CONN_KEYS_CORRUPT',
} as const;
export type P2PErrorCode = (typeof P2PErrorCode)[keyof typeof P2PErrorCode];

/** Response statuses, as in js-libp2p's fetch protocol. */
export type ResponseStatus = 'OK' | 'DENIED' | 'NOT_FOUND' | 'ERROR';

/** What the remote side said when it refused or failed. */
export interface RemoteFailure {
  readonly status: Exclude<ResponseStatus, 'OK'>;
  readonly code: string;
  readonly message: string;
  /** The policy rule that decided a denial, when the remote names one. */
  readonly rule?: string;
  /** Institution id of the remote side. */
  readonly institutionId: string;
}

export interface P2PErrorOptions {
  readonly cause?: unknown;
  /** Set when the error was reported by the remote side in a signed response. */
  readonly remote?: RemoteFailure;
  /** Remote peer id, when known. */
  readonly peerId?: string;
}

export class P2PError extends CodedError {
  declare readonly code: P2PErrorCode;
  readonly remote?: RemoteFailure;
  readonly peerId?: string;

  constructor(code: P2PErrorCode, message: string, options: P2PErrorOptions = {}) {
    super(code, message);
    if (options.cause !== undefined) this.cause = options.cause;
    if (options.remote !== undefined) this.remote = options.remote;
    if (options.peerId !== undefined) this.peerId = options.peerId;
  }
}

/** True when `e` is a {@link P2PError} (optionally with the given code), by name and code. */
export function isP2PError(e: unknown, code?: P2PErrorCode): e is P2PError {
  return isCodedError(e, code) && (e as { name?: unknown }).name === 'P2PError';
}

/** Codes a responder uses to refuse an envelope before any handler runs. */
export const TRANSPORT_CODES: ReadonlySet<string> = new Set<string>([
  P2PErrorCode.PEER_UNAUTHORIZED,
  P2PErrorCode.BAD_SIGNATURE,
  P2PErrorCode.REPLAY,
  P2PErrorCode.EXPIRED,
  P2PErrorCode.TOO_LARGE,
  P2PErrorCode.TIMEOUT,
  P2PErrorCode.BAD_MESSAGE,
  P2PErrorCode.UNAVAILABLE,
]);
