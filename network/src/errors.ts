/**
 * Errors of the ledger layer, both {@link CodedError}s. Callers compare `code`, never
 * `instanceof` across packages (`isCodedError(e, code)`; {@link isLedgerError} /
 * {@link isChaincodeError} when the kind matters).
 *
 * - Ledger-level codes (`LEDGER_*`) are the same in the embedded and the Fabric implementation.
 * - Chaincode codes (`CC_*`) pass through unchanged from the chaincode's error message
 *   (`[CC_CONSENT_REVOKED] consent c-42 was revoked at ...`).
 */
import { CodedError, isCodedError } from '@xinlian/chaincode';

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
  /**
   * Embedded ledger only: opened after an unclean stop, the store failed the deep integrity
   * check (blocks or world state edited or damaged); it is not served.
   */
  INTEGRITY_FAILED: 'LEDGER_INTEGRITY_FAILED',
} as const;
export type LedgerErrorCode = (typeof LedgerErrorCode)[keyof typeof LedgerErrorCode];

export interface LedgerErrorOptions {
  readonly txId?: string;
  readonly cause?: unknown;
}

export class LedgerError extends CodedError {
  override readonly name = 'LedgerError';
  declare readonly code: LedgerErrorCode;
  readonly txId?: string;

  constructor(code: LedgerErrorCode, message: string, options: LedgerErrorOptions = {}) {
    super(code, message, options.txId !== undefined ? { txId: options.txId } : undefined);
    if (options.cause !== undefined) this.cause = options.cause;
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
export class ChaincodeError extends CodedError {
  override readonly name = 'ChaincodeError';
  readonly txId?: string;
  readonly recorded: boolean;
  readonly blockNumber?: bigint;

  constructor(code: string, message: string, options: ChaincodeErrorOptions = {}) {
    super(code, message, options.txId !== undefined ? { txId: options.txId } : undefined);
    if (options.cause !== undefined) this.cause = options.cause;
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

/** A coded error of the ledger layer itself (`LEDGER_*`), optionally with that code. */
export function isLedgerError(e: unknown, code?: LedgerErrorCode): e is LedgerError {
  return isCodedError(e, code) && (e as { name?: unknown }).name === 'LedgerError';
}

/** A chaincode refusal (`CC_*`) as the ledger clients raise it, optionally with that code. */
export function isChaincodeError(e: unknown, code?: string): e is ChaincodeError {
  return isCodedError(e, code) && (e as { name?: unknown }).name === 'ChaincodeError';
}
