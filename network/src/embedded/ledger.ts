/**
 * The embedded ledger: the chaincode's contract classes run in process, on LevelDB, with
 * Fabric's execute-order-validate flow (simulate → cut blocks → validate MVCC → commit).
 */
import { chmod, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { endorsementFailure } from '../denial.js';
import { LedgerError } from '../errors.js';
import type { IntegrityOptions, IntegrityReport, LedgerClient } from '../ledger-client.js';
import { BlockCutter } from './block-cutter.js';
import type { StoredBlock, StoredValidationCode } from './block.js';
import { EmbeddedClient } from './client.js';
import { commitBatch, commitGenesis, type EndorsedTransaction } from './committer.js';
import { createContractRouter, type ContractRouter } from './fabric-shim.js';
import type { EmbeddedIdentity } from './identity.js';
import { checkChain } from './integrity.js';
import { SignatureVerifier, type SignedProposal } from './proposal.js';
import { LedgerStore, type TxLocation } from './store.js';
import { SimulationStub, type SimulationMode } from './stub.js';

export interface EmbeddedLedgerOptions {
  /** Directory of the LevelDB store (created if missing). */
  readonly dataDir: string;
  /** fabric-contract-api Contract classes, as the chaincode's `contracts` export lists them. */
  readonly contracts: readonly unknown[];
  /** Channel name (default `xinlian`); a store created for another channel is refused. */
  readonly channel?: string;
  /** Chaincode name events are reported under (default `xinlian`). */
  readonly chaincode?: string;
  /** Block cutter: max transactions per block (default 500). */
  readonly blockMaxTransactions?: number;
  /**
   * Block cutter: max wait after the first pending transaction, ms (default 0: cut as soon as
   * the committer is free — transactions arriving while a block is being written wait and go
   * into the next one together, so blocks grow with load and a lone transaction never waits).
   */
  readonly blockMaxWaitMs?: number;
  /** fsync every block (default true). */
  readonly sync?: boolean;
  /** Default clock of connected clients (transaction timestamps are set by the client, as on Fabric). */
  readonly clock?: () => Date;
  /**
   * After an unclean stop (the process died without `close()`), run the deep integrity check
   * before serving anything and refuse to open when it fails (default true).
   */
  readonly checkAfterUncleanStop?: boolean;
}

/**
 * Written in the store's directory at open, removed by a clean `close()`: found at open, it
 * means the last process using the store died (kill -9, power loss) and the store is checked.
 */
export const OPEN_MARKER = 'XINLIAN-OPEN';

const DEFAULT_BLOCK_WAIT_MS = 0;
/** Parsed blocks kept for readers (every connector's event stream reads each new block). */
const PARSED_BLOCKS_KEPT = 16;

export interface ConnectOptions {
  /** The client's clock for transaction timestamps (default: the ledger's clock). */
  readonly clock?: () => Date;
}

export interface CommitOutcome {
  readonly blockNumber: number;
  readonly code: StoredValidationCode;
}

interface Waiter {
  resolve(outcome: CommitOutcome): void;
  reject(error: unknown): void;
}

/** One embedded ledger: a channel with one chaincode. Connect clients to it with {@link EmbeddedLedger.connect}. */
export class EmbeddedLedger {
  readonly channel: string;
  readonly chaincode: string;
  readonly #store: LedgerStore;
  readonly #router: ContractRouter;
  readonly #verifier = new SignatureVerifier();
  readonly #cutter: BlockCutter<EndorsedTransaction>;
  readonly #waiters = new Map<string, Waiter>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #clock: () => Date;
  readonly #parsed = new Map<number, StoredBlock>();
  #blockListeners: (() => void)[] = [];
  #closing = false;
  #closed = false;
  #recovery: IntegrityReport | undefined;
  readonly #dataDir: string;

  /** @internal use {@link createEmbeddedLedger} */
  constructor(store: LedgerStore, router: ContractRouter, options: EmbeddedLedgerOptions) {
    this.#store = store;
    this.#router = router;
    this.channel = options.channel ?? 'xinlian';
    this.chaincode = options.chaincode ?? 'xinlian';
    this.#clock = options.clock ?? (() => new Date());
    this.#dataDir = options.dataDir;
    const sync = options.sync ?? true;
    this.#cutter = new BlockCutter<EndorsedTransaction>({
      maxCount: options.blockMaxTransactions ?? 500,
      maxWaitMs: options.blockMaxWaitMs ?? DEFAULT_BLOCK_WAIT_MS,
      process: async (batch) => this.#committed(await commitBatch(this.#store, batch, sync)),
      onError: (error, batch) => {
        for (const t of batch) this.#settle(t.signed.proposal.txId)?.reject(new LedgerError('LEDGER_UNAVAILABLE', 'block commit failed', { cause: error, txId: t.signed.proposal.txId }));
      },
    });
  }

  /** A ledger client transacting as `identity`. */
  connect(identity: EmbeddedIdentity, options: ConnectOptions = {}): LedgerClient {
    if (this.#closing) throw new LedgerError('LEDGER_UNAVAILABLE', 'the embedded ledger is closed');
    return new EmbeddedClient(this, identity, options.clock ?? this.#clock);
  }

  /** Number of committed blocks. */
  get height(): number {
    return this.#store.height;
  }

  /**
   * The deep integrity report of the check run at open because the last process stopped
   * uncleanly (it passed, or the ledger would not have opened); undefined after a clean stop.
   */
  get recovery(): IntegrityReport | undefined {
    return this.#recovery;
  }

  /** True once close() has been called. */
  get closed(): boolean {
    return this.#closing;
  }

  /**
   * Simulates a signed proposal against a snapshot of committed state.
   *
   * @throws ChaincodeError (coded chaincode failure), LedgerError `LEDGER_ENDORSEMENT_FAILED`
   *   (bad signature, wrong channel, uncoded failure) or `LEDGER_UNAVAILABLE` (closed).
   */
  async endorse(signed: SignedProposal, mode: SimulationMode): Promise<EndorsedTransaction> {
    this.#assertOpen();
    const { proposal } = signed;
    const bad = await this.#verifier.checkAsync(signed);
    if (bad) throw new LedgerError('LEDGER_ENDORSEMENT_FAILED', `proposal refused: ${bad}`, { txId: proposal.txId });
    if (proposal.channel !== this.channel) {
      throw new LedgerError('LEDGER_ENDORSEMENT_FAILED', `unknown channel ${proposal.channel}`, { txId: proposal.txId });
    }
    this.#assertOpen();
    const view = this.#store.view();
    try {
      const stub = new SimulationStub(proposal, view, mode);
      const response = await this.#router.Invoke(stub);
      const sim = await stub.finish();
      if (response.status !== 200) throw endorsementFailure(response.message ?? '', proposal.txId);
      return { signed, payload: Buffer.from(response.payload ?? []), sim };
    } finally {
      await view.close();
    }
  }

  /**
   * Orders an endorsed transaction and resolves once its block is committed.
   *
   * @throws LedgerError `LEDGER_UNAVAILABLE` when the ledger is closed or the block cannot be written.
   */
  order(tx: EndorsedTransaction): Promise<CommitOutcome> {
    this.#assertOpen();
    return new Promise<CommitOutcome>((resolve, reject) => {
      this.#waiters.set(tx.signed.proposal.txId, { resolve, reject });
      this.#cutter.enqueue(tx);
    });
  }

  /**
   * Runs a client operation that `close()` lets finish.
   *
   * @throws LedgerError `LEDGER_UNAVAILABLE` (rejected) once the ledger is closing.
   */
  run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closing) return Promise.reject(new LedgerError('LEDGER_UNAVAILABLE', 'the embedded ledger is closed'));
    const p = fn();
    this.#inFlight.add(p);
    const done = (): void => void this.#inFlight.delete(p);
    p.then(done, done);
    return p;
  }

  /** Resolves true once `height` exceeds `h`, false when the ledger closes first. */
  waitForHeight(h: number): Promise<boolean> {
    if (this.#store.height > h) return Promise.resolve(true);
    if (this.#closing) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.#blockListeners.push(() => resolve(this.#store.height > h));
    });
  }

  /**
   * A committed block, parsed (undefined past the height). Recent blocks are parsed once and
   * shared between readers: treat the result as read-only.
   */
  async readBlock(n: number): Promise<StoredBlock | undefined> {
    this.#assertOpen();
    if (!Number.isSafeInteger(n) || n < 0 || n >= this.#store.height) return undefined;
    const cached = this.#parsed.get(n);
    if (cached) return cached;
    const text = await this.#store.readBlockText(n);
    if (text === undefined) return undefined;
    const block = JSON.parse(text) as StoredBlock;
    this.#remember(n, block);
    return block;
  }

  #remember(n: number, block: StoredBlock): void {
    this.#parsed.set(n, block);
    if (this.#parsed.size > PARSED_BLOCKS_KEPT) this.#parsed.delete(this.#parsed.keys().next().value!);
  }

  async txLocation(txId: string): Promise<TxLocation | undefined> {
    this.#assertOpen();
    return this.#store.txLocation(txId);
  }

  /** Re-verifies the whole chain; with `deep`, also the world state against the blocks. */
  async checkIntegrity(options: IntegrityOptions = {}): Promise<IntegrityReport> {
    this.#assertOpen();
    return checkChain(this.#store, this.#verifier, { deep: options.deep === true });
  }

  /**
   * @internal Second step of {@link createEmbeddedLedger}: after an unclean stop, the deep
   * check (refusing to open on failure); then the open marker and tight permissions.
   */
  async opened(unclean: boolean, check: boolean): Promise<void> {
    if (unclean && check) {
      const report = await checkChain(this.#store, this.#verifier, { deep: true });
      if (!report.ok) {
        const first = [
          ...(report.problems ?? []).slice(0, 3).map((p) => `block ${p.block}: ${p.reason}`),
          ...(report.deep?.mismatches ?? []).slice(0, 3).map((m) => `state ${JSON.stringify(m.key)}: ${m.reason}`),
        ];
        throw new LedgerError(
          'LEDGER_INTEGRITY_FAILED',
          `the ledger in ${this.#dataDir} was not closed cleanly and fails the integrity check ` +
            `(${(report.problems ?? []).length} block problems, ${report.deep?.mismatchCount ?? 0} state differences: ${first.join('; ')})`,
        );
      }
      this.#recovery = report;
    }
    await writeFile(join(this.#dataDir, OPEN_MARKER), `${process.pid} ${new Date().toISOString()}\n`, { mode: 0o600 });
    await restrictPermissions(this.#dataDir);
  }

  /** Test and repair hook: overwrite a stored block's text (tamper-detection tests use it). */
  async writeBlockText(n: number, text: string): Promise<void> {
    this.#assertOpen();
    this.#parsed.delete(n);
    await this.#store.writeBlockText(n, text);
  }

  /** Lets operations in flight finish, commits what is pending, then closes the store. Idempotent. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    await Promise.allSettled([...this.#inFlight]);
    await this.#cutter.flush();
    this.#closed = true;
    this.#notify();
    await this.#store.close();
    await rm(join(this.#dataDir, OPEN_MARKER), { force: true });
  }

  #assertOpen(): void {
    if (this.#closed) throw new LedgerError('LEDGER_UNAVAILABLE', 'the embedded ledger is closed');
  }

  #settle(txId: string): Waiter | undefined {
    const w = this.#waiters.get(txId);
    this.#waiters.delete(txId);
    return w;
  }

  #committed(block: StoredBlock): void {
    this.#remember(block.header.number, block);
    for (const tx of block.data.transactions) {
      this.#settle(tx.proposal.txId)?.resolve({ blockNumber: block.header.number, code: tx.validationCode });
    }
    this.#notify();
  }

  #notify(): void {
    const listeners = this.#blockListeners;
    this.#blockListeners = [];
    for (const l of listeners) l();
  }
}

/**
 * Opens (creating if needed) an embedded ledger in `dataDir`. A new store gets block 0
 * carrying the channel configuration.
 *
 * @throws LedgerError `LEDGER_BAD_REQUEST` on bad options or a store of another channel;
 *   `LEDGER_UNAVAILABLE` when the store cannot be opened (e.g. used by another process).
 */
export async function createEmbeddedLedger(options: EmbeddedLedgerOptions): Promise<EmbeddedLedger> {
  const max = options.blockMaxTransactions ?? 500;
  const wait = options.blockMaxWaitMs ?? DEFAULT_BLOCK_WAIT_MS;
  if (!Number.isInteger(max) || max < 1 || !Number.isFinite(wait) || wait < 0) {
    throw new LedgerError('LEDGER_BAD_REQUEST', 'blockMaxTransactions must be ≥ 1 and blockMaxWaitMs ≥ 0');
  }
  if (!Array.isArray(options.contracts) || options.contracts.length === 0) {
    throw new LedgerError('LEDGER_BAD_REQUEST', 'at least one contract class is needed');
  }
  let router: ContractRouter;
  try {
    router = createContractRouter(options.contracts, options.chaincode ?? 'xinlian', '0');
  } catch (cause) {
    throw new LedgerError('LEDGER_BAD_REQUEST', `contracts cannot be loaded: ${(cause as Error).message}`, { cause });
  }
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const store = await LedgerStore.open(options.dataDir);
  const channel = options.channel ?? 'xinlian';
  const chaincode = options.chaincode ?? 'xinlian';
  try {
    // Checked once the store is open: its lock proves no other process is using it now.
    const unclean = await exists(join(options.dataDir, OPEN_MARKER));
    if (store.height === 0) await commitGenesis(store, channel, chaincode);
    const genesis = JSON.parse((await store.readBlockText(0)) ?? 'null') as StoredBlock | null;
    if (genesis?.data.config?.channel !== channel) {
      throw new LedgerError('LEDGER_BAD_REQUEST', `the store in ${options.dataDir} belongs to another channel`);
    }
    const ledger = new EmbeddedLedger(store, router, options);
    await ledger.opened(unclean, options.checkAfterUncleanStop ?? true);
    return ledger;
  } catch (e) {
    await store.close();
    throw e;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return false;
      throw e;
    },
  );
}

/**
 * The store's directory 0700 and its files 0600, at every open. LevelDB creates files with
 * the process umask; those made later are inside the 0700 directory and tightened at the next open.
 */
async function restrictPermissions(dir: string): Promise<void> {
  await chmod(dir, 0o700);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // A file LevelDB deletes meanwhile (compaction) is no longer there to protect.
    await chmod(path, entry.isDirectory() ? 0o700 : 0o600).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }
}
