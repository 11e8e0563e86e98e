/**
 * Errors of the ledger layer. Callers compare `code`, never `instanceof` across packages
 * (use {@link isLedgerError} / {@link isChaincodeError}).
 *
 * - Ledger-level codes (`LEDGER_*`) are the same in the embedded and the Fabric implementation.
 * - Chaincode codes (`CC_*`) pass through unchanged from the chaincode's error message
 *   (`[CC_CONSENT_REVOKED] consent c-42 was revoked at ...`).
 */

export const LedgerErrorCode = {
  /** Invalidated at commit: a key read during simulation changed before the block committed. */
  MVCC_READ_CONFLICT: 'LEDGER_MVCC_READ_CONFLICT',
  /** Peer, orderer or store unreachable or closed. */
  UNAVAILABLE: 'LEDGER_UNAVAILABLE',
  /** Endorsement failed for a reason other than a coded chaincode error. */
  ENDORSEMENT_FAILED: 'LEDGER_ENDORSEMENT_FAILED',
  /** Committed with a validation code other than VALID / MVCC_READ_CONFLICT. */
  INVALID_TRANSACTION: 'LEDGER_INVALID_TRANSACTION',
  /** Deadline exceeded or aborted while waiting. */
  TIMEOUT: 'LEDGER_TIMEOUT',
  /** Bad arguments to the client itself (not the chaincode). */
  BAD_REQUEST: 'LEDGER_BAD_REQUEST',
} as const;
export type LedgerErrorCode = (typeof LedgerErrorCode)[keyof typeof LedgerErrorCode];

export interface LedgerErrorOptions {
  readonly txId?: string;
  readonly cause?: unknown;
}

export class LedgerError extends Error {
  override readonly name = 'LedgerError';
  readonly code: LedgerErrorCode;
  readonly txId?: string;

  constructor(code: LedgerErrorCode, message: string, options: LedgerErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    if (options.txId !== undefined) this.txId = options.txId;
  }
}

export interface ChaincodeErrorOptions extends LedgerErrorOptions {
  /**
   * True when the refusal itself was committed to the ledger as a denial record
   * (see the chaincode's denial convention); `blockNumber` is then set.
   */
  readonly recorded?: boolean;
  readonly blockNumber?: bigint;
}

/** A refusal by the chaincode, carrying its stable `CC_*` code. */
export class ChaincodeError extends Error {
  override readonly name = 'ChaincodeError';
  readonly code: string;
  readonly txId?: string;
  readonly recorded: boolean;
  readonly blockNumber?: bigint;

  constructor(code: string, message: string, options: ChaincodeErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.recorded = options.recorded ?? false;
    if (options.txId !== undefined) this.txId = options.txId;
    if (options.blockNumber !== undefined) this.blockNumber = options.blockNumber;
  }
}

const CODED_MESSAGE = /\[(CC_[A-Z0-9_]+)\]\s*([\s\S]*)$/;

/**
 * Finds a chaincode code in an error message (Fabric wraps the chaincode's message in
 * its own prose, so the code may be anywhere in it). Returns undefined when there is none.
 */
export function parseChaincodeMessage(text: string): { code: string; message: string } | undefined {
  const match = CODED_MESSAGE.exec(text);
  if (!match) return undefined;
  return { code: match[1]!, message: `[${match[1]}] ${match[2]!.trim()}` };
}

export function isLedgerError(e: unknown, code?: LedgerErrorCode): e is LedgerError {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === 'LedgerError' &&
    (code === undefined || (e as { code?: unknown }).code === code)
  );
}

export function isChaincodeError(e: unknown, code?: string): e is ChaincodeError {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === 'ChaincodeError' &&
    (code === undefined || (e as { code?: unknown }).code === code)
  );
}
