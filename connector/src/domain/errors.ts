/**
 * Errors raised by the connector's data-side modules (store, policy, model, domain).
 * Callers compare `code` strings (`isCodedError(e, code)` from `@xinlian/chaincode`), never `instanceof`.
 */
import { CodedError, isCodedError } from '@xinlian/chaincode';

export const ConnectorErrorCode = {
  /** Malformed argument to a connector function (bad USCC, bad nonce, bad record). */
  BAD_INPUT: 'CONN_BAD_INPUT',
  /** A policy document failed validation. */
  BAD_POLICY: 'CONN_BAD_POLICY',
  /** A record was not found in the store. */
  NOT_FOUND: 'CONN_NOT_FOUND',
  /** A record already exists, or changed since it was read (optimistic check failed). */
  CONFLICT: 'CONN_CONFLICT',
  /** The local store is closed or cannot be opened. */
  STORE_UNAVAILABLE: 'CONN_STORE_UNAVAILABLE',
} as const;
export type ConnectorErrorCode = (typeof ConnectorErrorCode)[keyof typeof ConnectorErrorCode];

/** A coded connector error; `code` is stable, `message` is for people. */
export class ConnectorError extends CodedError {
  constructor(code: ConnectorErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message);
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/** True when `e` is a connector error (optionally with the given code). */
export function isConnectorError(e: unknown, code?: string): e is ConnectorError {
  return isCodedError(e, code) && (e as { name?: unknown }).name === 'ConnectorError';
}
