/**
 * The chaincode's denial convention and failure mapping, in one place for both ledger
 * implementations (embedded and Fabric). See chaincode/README.md, "Denials".
 */
import { ChaincodeError, LedgerError, parseChaincodeMessage } from './errors.js';

const CODE = /^CC_[A-Z0-9_]+$/;

interface Denied {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly action?: unknown;
}

/** The `denied` object of a chaincode result, or undefined when the result is not a denial. */
export function findDenial(result: string): { code: string; message: string } | undefined {
  if (!result.startsWith('{') || !result.includes('"denied"')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(result);
  } catch {
    return undefined;
  }
  const denied = (parsed as { denied?: unknown }).denied;
  if (typeof denied !== 'object' || denied === null) return undefined;
  const d = denied as Denied;
  const message = typeof d.message === 'string' ? d.message : '';
  const code = typeof d.code === 'string' && CODE.test(d.code) ? d.code : (parseChaincodeMessage(message)?.code ?? 'CC_DENIED');
  return { code, message: message || `[${code}] denied` };
}

/**
 * Returns `result` unless it is a denial, which is thrown as a ChaincodeError:
 * `recorded: true` with `blockNumber` for a committed submit, `recorded: false` for an evaluation.
 *
 * @throws ChaincodeError with the denial's `CC_*` code.
 */
export function resultOrDenial(result: string, context: { readonly txId: string; readonly blockNumber?: bigint }): string {
  const denial = findDenial(result);
  if (!denial) return result;
  throw new ChaincodeError(denial.code, denial.message, {
    txId: context.txId,
    recorded: context.blockNumber !== undefined,
    ...(context.blockNumber !== undefined ? { blockNumber: context.blockNumber } : {}),
  });
}

/**
 * The error for a failed endorsement (the chaincode threw, or the peer refused the proposal):
 * a ChaincodeError when the message carries a `[CC_*]` code, else `LEDGER_ENDORSEMENT_FAILED`.
 */
export function endorsementFailure(message: string, txId?: string, cause?: unknown): ChaincodeError | LedgerError {
  const coded = parseChaincodeMessage(message);
  const options = { ...(txId !== undefined ? { txId } : {}), ...(cause !== undefined ? { cause } : {}) };
  if (coded) return new ChaincodeError(coded.code, coded.message, options);
  return new LedgerError('LEDGER_ENDORSEMENT_FAILED', `endorsement failed: ${message}`, options);
}
