/**
 * Errors of the demo's set-up that the user can fix (wrong ledger for the data directory,
 * Fabric network not up). `npm start` prints their message and exits with code 1.
 * Callers compare `code` (use {@link isDemoError}), never `instanceof` across packages.
 */

import { CodedError, isCodedError } from '@xinlian/chaincode';

export const DemoErrorCode = {
  /** The data directory was bootstrapped against another ledger, network or chaincode. */
  LEDGER_MISMATCH: 'DEMO_LEDGER_MISMATCH',
  /** The Fabric network is not up (no connection profiles, or its peers do not answer). */
  FABRIC_DOWN: 'DEMO_FABRIC_DOWN',
  /** The Fabric chaincode was already initialised by another data directory. */
  ALREADY_INITIALIZED: 'DEMO_ALREADY_INITIALIZED',
  /** A bad option (unknown ledger kind, malformed chaincode name). */
  BAD_OPTION: 'DEMO_BAD_OPTION',
} as const;
export type DemoErrorCode = (typeof DemoErrorCode)[keyof typeof DemoErrorCode];

export class DemoError extends CodedError {
  override readonly name = 'DemoError';
  declare readonly code: DemoErrorCode;

  constructor(code: DemoErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message);
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/** True when `e` is a {@link DemoError} (with `code`, when given). */
export function isDemoError(e: unknown, code?: DemoErrorCode): e is DemoError {
  return isCodedError(e, code) && (e as { name?: unknown }).name === 'DemoError';
}
