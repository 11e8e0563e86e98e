/**
 * Errors raised by the gateway itself (`GW_*`). Services below the gateway throw their own
 * coded errors (`CC_*`, `LEDGER_*`, `CONN_*`); all of them are turned into the public error
 * JSON by the one table in `error-map.ts`. Callers compare `code`, never `instanceof`.
 */
import { CodedError, isCodedError } from '@xinlian/chaincode';

export const GatewayErrorCode = {
  BAD_REQUEST: 'GW_BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'GW_PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'GW_UNSUPPORTED_MEDIA_TYPE',
  UNAUTHENTICATED: 'GW_UNAUTHENTICATED',
  FORBIDDEN: 'GW_FORBIDDEN',
  INSTITUTION_SUSPENDED: 'GW_INSTITUTION_SUSPENDED',
  POLICY_DENIED: 'GW_POLICY_DENIED',
  NOT_FOUND: 'GW_NOT_FOUND',
  CONFLICT: 'GW_CONFLICT',
  CONSENT_INVALID: 'GW_CONSENT_INVALID',
  CONTRACT_INVALID: 'GW_CONTRACT_INVALID',
  RATE_LIMITED: 'GW_RATE_LIMITED',
  UNAVAILABLE: 'GW_UNAVAILABLE',
  /** Invalid gateway configuration (options, environment, API key list). */
  CONFIG: 'GW_CONFIG',
  INTERNAL: 'GW_INTERNAL',
} as const;
export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

export interface GatewayErrorOptions {
  /** The policy rule that decided a refusal (POLICY_DENIED). */
  readonly rule?: string;
  readonly cause?: unknown;
}

/** An error raised by the gateway, carrying a stable `GW_*` code. */
export class GatewayError extends CodedError {
  override readonly name = 'GatewayError';
  declare readonly code: GatewayErrorCode;
  readonly rule?: string;

  constructor(code: GatewayErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(code, message, options.rule !== undefined ? { rule: options.rule } : undefined);
    if (options.cause !== undefined) this.cause = options.cause;
    if (options.rule !== undefined) this.rule = options.rule;
  }
}

/** True when `e` is a {@link GatewayError} (optionally with the given code), across realms and copies. */
export function isGatewayError(e: unknown, code?: GatewayErrorCode): e is GatewayError {
  return isCodedError(e, code) && (e as { name?: unknown }).name === 'GatewayError';
}

export { CodedError, isCodedError };
