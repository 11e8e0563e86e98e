/**
 * The one interface everything above the ledger (connector, gateway, scripts) uses.
 *
 * It maps one to one onto `@hyperledger/fabric-gateway`:
 * - `submit`   ~ `Contract.submitAsync` + `SubmittedTransaction.getStatus()` (waits for commit)
 * - `evaluate` ~ `Contract.evaluateTransaction`
 * - `chaincodeEvents` ~ `Network.getChaincodeEvents(chaincodeName, { startBlock | checkpoint })`
 * - `getTransaction` / `getBlock` ~ evaluations of the `qscc` system chaincode
 *
 * Transaction names are `<contract>:<function>` exactly as Fabric addresses a
 * function of a multi-contract chaincode (e.g. `consents:Grant`).
 *
 * Two implementations: the embedded ledger (`./embedded`) and Fabric (`./fabric`).
 */

/** The ledger identity a client transacts as: Fabric's MSP id and the X.509 client id. */
export interface LedgerIdentity {
  /** MSP id, e.g. `RegulatorMSP`. */
  readonly mspId: string;
  /** Fabric's client id string: `x509::<subject DN>::<issuer DN>`. */
  readonly clientId: string;
}

export interface SubmitOptions {
  /** Abort the whole submit (endorse + order + commit wait). */
  readonly signal?: AbortSignal;
}

export interface SubmitResult {
  /** The chaincode function's return value (UTF-8 text; JSON by convention). */
  readonly result: string;
  readonly txId: string;
  /** Block the transaction was committed in. */
  readonly blockNumber: bigint;
}

/** A position in the event stream: resume after `transactionId` in `blockNumber`. */
export interface Checkpoint {
  readonly blockNumber: bigint;
  /** The last transaction processed in that block; omitted = nothing processed in it yet. */
  readonly transactionId?: string;
}

export interface ChaincodeEvent {
  readonly blockNumber: bigint;
  readonly transactionId: string;
  readonly chaincodeName: string;
  readonly eventName: string;
  /** UTF-8 JSON text set by the chaincode. */
  readonly payload: string;
}

export interface EventsOptions {
  /** Start at this block (inclusive). Ignored when `checkpoint` is given. Default: next block. */
  readonly startBlock?: bigint;
  /** Resume after this checkpoint. */
  readonly checkpoint?: Checkpoint;
}

/** An async iterable of events that must be closed when no longer read. */
export interface CloseableAsyncIterable<T> extends AsyncIterable<T> {
  close(): void;
}

/** Fabric's TxValidationCode names, as stored with every transaction. */
export type ValidationCode = 'VALID' | 'MVCC_READ_CONFLICT' | 'ENDORSEMENT_POLICY_FAILURE' | 'BAD_PAYLOAD';

export interface TransactionInfo {
  readonly txId: string;
  readonly blockNumber: bigint;
  readonly validationCode: ValidationCode;
  readonly creator: LedgerIdentity;
  /** Transaction timestamp as set by the client, ISO-8601 UTC. */
  readonly timestamp: string;
  /** `<contract>:<function>` invoked. */
  readonly function: string;
}

export interface BlockInfo {
  readonly number: bigint;
  /** hex */
  readonly previousHash: string;
  /** hex */
  readonly dataHash: string;
  /** hex hash of this block's header */
  readonly hash: string;
  readonly transactions: readonly TransactionInfo[];
}

/** One difference between the world state the blocks imply and the stored world state. */
export interface StateMismatch {
  /** The state key (composite keys as the chaincode made them). */
  readonly key: string;
  /**
   * `value`: stored value differs; `version`: same value, another (block, tx) version;
   * `missing`: the blocks write it, the store lacks it; `unexpected`: stored, never written
   * (or deleted) by a valid transaction.
   */
  readonly reason: 'value' | 'version' | 'missing' | 'unexpected';
}

/** The deep check: every valid transaction's writes replayed into a fresh state, compared with the stored one. */
export interface DeepIntegrityReport {
  readonly ok: boolean;
  /** Keys the replayed state has. */
  readonly keys: number;
  /** At most the first 100 differences, in key order. */
  readonly mismatches: readonly StateMismatch[];
  /** Number of differences found (may exceed `mismatches.length`). */
  readonly mismatchCount: number;
}

export interface IntegrityOptions {
  /**
   * Also replay every block's write sets and compare the result with the stored world state
   * (embedded ledger only: on Fabric the world state lives in the peers, and the report has
   * no `deep` part).
   */
  readonly deep?: boolean;
}

export interface IntegrityReport {
  /** False when the chain or (with `deep`) the world state failed the check. */
  readonly ok: boolean;
  /** Number of blocks (last block number + 1). */
  readonly height: number;
  /** Hash of the last block's header, hex. */
  readonly headHash: string;
  /** Present when `ok` is false: what failed and in which block. */
  readonly problems?: readonly { readonly block: number; readonly reason: string }[];
  /** Present when the deep check ran. */
  readonly deep?: DeepIntegrityReport;
}

export interface LedgerClient {
  readonly identity: LedgerIdentity;
  /** Endorse, order and wait for commit. Throws a {@link LedgerError} or a chaincode-coded error. */
  submit(name: string, args: readonly string[], options?: SubmitOptions): Promise<SubmitResult>;
  /** Run against committed state without ordering. */
  evaluate(name: string, args: readonly string[]): Promise<string>;
  chaincodeEvents(options?: EventsOptions): Promise<CloseableAsyncIterable<ChaincodeEvent>>;
  getTransaction(txId: string): Promise<TransactionInfo | undefined>;
  getBlock(blockNumber: bigint): Promise<BlockInfo | undefined>;
  /** Current height (number of blocks). */
  getHeight(): Promise<bigint>;
  /**
   * Re-verify the whole chain: hash links, data hashes, transaction signatures; with
   * `deep`, also the world state against the blocks (embedded ledger).
   */
  checkIntegrity(options?: IntegrityOptions): Promise<IntegrityReport>;
  close(): Promise<void>;
}
