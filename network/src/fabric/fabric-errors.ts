/**
 * Maps fabric-gateway and gRPC failures to the ledger layer's coded errors, the same ones the
 * embedded ledger throws: a `[CC_*]` code in the chaincode's message becomes a ChaincodeError,
 * everything else a LedgerError with a `LEDGER_*` code.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { peer } from '@hyperledger/fabric-protos';
import { endorsementFailure } from '../denial.js';
import { ChaincodeError, LedgerError, isChaincodeError, isLedgerError, parseChaincodeMessage } from '../errors.js';
import type { ValidationCode } from '../ledger-client.js';

/** Where in the transaction flow a failure happened. */
export type Stage = 'evaluate' | 'endorse' | 'submit' | 'commit' | 'query' | 'events';

interface GatewayErrorShape {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly details?: unknown;
}

/**
 * Peer messages meaning "the chaincode service or another node could not be reached": the
 * transaction was not refused by the chaincode, so callers may retry (LEDGER_UNAVAILABLE).
 */
const UNREACHABLE =
  /connection refused|could not launch chaincode|failed to connect|connection error|transport is closing|no (peers|orderers) available|chaincode stream terminated|timeout expired while (starting|executing) chaincode|SERVICE_UNAVAILABLE|failed to collect enough transaction endorsements/i;

function detailMessages(e: GatewayErrorShape): string[] {
  if (!Array.isArray(e.details)) return [];
  return e.details
    .map((d: unknown) => (typeof d === 'object' && d !== null ? (d as { message?: unknown }).message : undefined))
    .filter((m): m is string => typeof m === 'string');
}

/**
 * The coded error for a failure at `stage`. Coded errors pass through unchanged.
 * Never throws.
 */
export function mapGatewayError(error: unknown, stage: Stage, txId?: string): LedgerError | ChaincodeError {
  if (isLedgerError(error) || isChaincodeError(error)) return error;
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as GatewayErrorShape;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const details = detailMessages(e);
  const options = { ...(txId !== undefined ? { txId } : {}), cause: error };
  for (const text of [...details, message]) {
    const coded = parseChaincodeMessage(text);
    if (coded) return new ChaincodeError(coded.code, coded.message, options);
  }
  const all = [message, ...details].join('; ');
  const where = txId !== undefined ? ` (transaction ${txId})` : '';
  if (e.code === GrpcStatus.DEADLINE_EXCEEDED) return new LedgerError('LEDGER_TIMEOUT', `${stage} deadline exceeded${where}: ${all}`, options);
  if (e.code === GrpcStatus.UNAVAILABLE || e.code === GrpcStatus.CANCELLED || UNREACHABLE.test(all)) {
    return new LedgerError('LEDGER_UNAVAILABLE', `${stage} failed, ledger unavailable${where}: ${all}`, options);
  }
  if (stage === 'endorse' || stage === 'evaluate' || stage === 'query') return endorsementFailure(all, txId, error);
  return new LedgerError('LEDGER_UNAVAILABLE', `${stage} failed${where}: ${all}`, options);
}

const NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(peer.TxValidationCode).map(([name, code]) => [code as number, name]),
);

/** Fabric's name of a TxValidationCode number (`UNKNOWN_<n>` for numbers Fabric does not define). */
export function validationName(code: number): string {
  return NAMES.get(code) ?? `UNKNOWN_${code}`;
}

/** The LedgerClient's coarser validation code, as the embedded ledger reports it. */
export function publicValidationCode(code: number): ValidationCode {
  const name = validationName(code);
  if (name === 'VALID') return 'VALID';
  if (name === 'MVCC_READ_CONFLICT' || name === 'PHANTOM_READ_CONFLICT') return 'MVCC_READ_CONFLICT';
  if (name === 'ENDORSEMENT_POLICY_FAILURE') return 'ENDORSEMENT_POLICY_FAILURE';
  return 'BAD_PAYLOAD';
}

/**
 * The error for a committed transaction that is not VALID.
 * MVCC / phantom read conflicts → `LEDGER_MVCC_READ_CONFLICT`, anything else → `LEDGER_INVALID_TRANSACTION`.
 */
export function invalidTransaction(code: number, txId: string): LedgerError {
  const name = validationName(code);
  const conflict = name === 'MVCC_READ_CONFLICT' || name === 'PHANTOM_READ_CONFLICT';
  return new LedgerError(
    conflict ? 'LEDGER_MVCC_READ_CONFLICT' : 'LEDGER_INVALID_TRANSACTION',
    `transaction ${txId} invalidated: ${name}`,
    { txId },
  );
}
