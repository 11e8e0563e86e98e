/**
 * Errors raised by the connector's data-side modules (store, policy, model, domain).
 * Callers compare `code` strings with {@link isConnectorError}, never `instanceof`.
 */

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
export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  readonly code: string;

  constructor(code: ConnectorErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
  }
}

/** True when `e` is a connector error (optionally with the given code). */
export function isConnectorError(e: unknown, code?: string): e is ConnectorError {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === 'ConnectorError' &&
    typeof (e as { code?: unknown }).code === 'string' &&
    (code === undefined || (e as { code?: unknown }).code === code)
  );
}
