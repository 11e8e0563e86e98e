import { ChaincodeError, isChaincodeError, isLedgerError } from '@xinlian/network';
import { errFields, type Logger } from '../logger.js';
import type { Outbox } from '../store/index.js';
import type { Committed, ConsortiumLedger } from './consortium-ledger.js';

/** A ledger write as kept in the outbox: a chaincode function and its arguments. */
export interface LedgerWrite {
  readonly name: string;
  readonly args: readonly string[];
}

interface WriteOutcome {
  readonly value?: unknown;
  readonly txId?: string;
  readonly blockNumber?: string;
  readonly error?: { readonly code: string; readonly message: string };
}

/** Default pause between two retries of pending writes (see {@link LedgerWriter.start}). */
export const OUTBOX_RETRY_MS = 5_000;

/** A pending write older than this means the outbox is not draining (readiness). */
export const OUTBOX_STALL_MS = 60_000;

/** How the outbox is doing, for readiness. */
export interface OutboxHealth {
  /** Pending writes (counted up to 1000). */
  readonly pending: number;
  /** Age of the oldest pending write, 0 when none. */
  readonly oldestPendingMs: number;
  /** No pending write is older than {@link OUTBOX_STALL_MS}. */
  readonly draining: boolean;
}

/**
 * Ledger writes that must not be lost: each is put in the outbox (durable) before it is
 * submitted, and marked done with its outcome after. Pending writes (a crash, a ledger
 * outage) are submitted again by {@link drain}, at start and then periodically. Writes must
 * be idempotent in the chaincode (a receipt recorded twice returns the first), so a write
 * that reached the ledger before a crash is harmless; within one process a write is never
 * submitted twice at the same time.
 */
export class LedgerWriter {
  readonly #outbox: Outbox;
  readonly #ledger: ConsortiumLedger;
  readonly #log: Logger | undefined;
  readonly #now: () => number;
  readonly #inFlight = new Map<string, Promise<Committed<unknown>>>();
  #timer?: NodeJS.Timeout;
  #draining?: Promise<number>;
  #paused = false;

  /** Every submit goes through `ledger`'s MVCC-retrying {@link ConsortiumLedger.submit} (the connector's one write path). */
  constructor(outbox: Outbox, ledger: ConsortiumLedger, options: { logger?: Logger; now?: () => number } = {}) {
    this.#outbox = outbox;
    this.#ledger = ledger;
    this.#log = options.logger;
    this.#now = options.now ?? Date.now;
  }

  /** Pending writes and the age of the oldest (for readiness). @throws ConnectorError `CONN_STORE_UNAVAILABLE`. */
  async health(): Promise<OutboxHealth> {
    const pending = await this.#outbox.pending(1000);
    const oldest = pending.reduce((min, e) => Math.min(min, e.enqueuedAt), Number.POSITIVE_INFINITY);
    const oldestPendingMs = pending.length === 0 ? 0 : Math.max(0, this.#now() - oldest);
    return { pending: pending.length, oldestPendingMs, draining: oldestPendingMs <= OUTBOX_STALL_MS };
  }

  /**
   * Writes durably, then submits (or joins the submit already running for `id`). A chaincode
   * refusal is final (the entry is done with the error) and rethrown; a ledger outage leaves
   * the entry pending for {@link drain} and is rethrown.
   * @throws ChaincodeError, LedgerError, ConnectorError `CONN_STORE_UNAVAILABLE`.
   */
  async write<T>(id: string, write: LedgerWrite): Promise<Committed<T>> {
    const entry = await this.#outbox.enqueue(id, write);
    if (entry.status === 'done') return replay<T>(entry.result as WriteOutcome);
    return this.#submitOnce<T>(id, entry.item);
  }

  /**
   * Writes durably and tries to submit, but never fails because of the ledger: a refusal is
   * kept on the entry, an outage leaves it pending for the next {@link drain}. For records
   * whose delivery may lag (refusals issued to a peer).
   * @throws ConnectorError `CONN_STORE_UNAVAILABLE` when the write could not be kept.
   */
  async record(id: string, write: LedgerWrite): Promise<void> {
    try {
      await this.write(id, write);
    } catch (e) {
      if (!isChaincodeError(e) && !isLedgerError(e)) throw e;
      // kept on the entry: refused for good (chaincode) or pending for the next drain (ledger)
      this.#log?.warn({ id, name: write.name, ...errFields(e) }, 'ledger write not completed');
    }
  }

  /** Submits every pending write, oldest first; returns how many completed. Never throws for one write. Nothing while paused. */
  async drain(): Promise<number> {
    if (this.#paused) return 0;
    this.#draining ??= this.#drainAll().finally(() => (this.#draining = undefined));
    return this.#draining;
  }

  /**
   * Stops draining (the institution is suspended: every submit would only be refused, and
   * recorded as a denial); writes stay pending until {@link resume}.
   */
  pause(): void {
    if (!this.#paused) this.#log?.warn('outbox paused: this institution is suspended');
    this.#paused = true;
  }

  /** Drains again (after a reinstatement). */
  resume(): void {
    if (this.#paused) this.#log?.info('outbox resumed');
    this.#paused = false;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Retries pending writes every `intervalMs` until {@link stop}. */
  start(intervalMs = OUTBOX_RETRY_MS): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.drain().catch((e: unknown) => this.#log?.error({ ...errFields(e) }, 'outbox drain failed'));
    }, intervalMs);
    this.#timer.unref();
  }

  /**
   * Stops the retries. Submits in flight are not awaited (a hung ledger must not block a
   * shutdown); whatever they leave unfinished stays pending in the outbox.
   */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #drainAll(): Promise<number> {
    let completed = 0;
    let failed = 0;
    for (const entry of await this.#outbox.pending<LedgerWrite>(1000)) {
      if (this.#paused) break;
      try {
        await this.#submitOnce(entry.id, entry.item);
        completed++;
      } catch (e) {
        // Kept on the entry by #submit; a later drain retries outages.
        failed++;
        this.#log?.warn({ id: entry.id, name: entry.item.name, attempts: entry.attempts + 1, ...errFields(e) }, 'pending ledger write failed');
      }
    }
    if (completed + failed > 0) this.#log?.info({ completed, failed }, 'outbox drained');
    return completed;
  }

  #submitOnce<T>(id: string, write: LedgerWrite): Promise<Committed<T>> {
    let running = this.#inFlight.get(id);
    if (!running) {
      running = this.#submit(id, write).finally(() => this.#inFlight.delete(id));
      this.#inFlight.set(id, running);
    }
    return running as Promise<Committed<T>>;
  }

  async #submit(id: string, write: LedgerWrite): Promise<Committed<unknown>> {
    const done = await this.#outbox.get(id);
    if (done?.status === 'done') return replay(done.result as WriteOutcome);
    try {
      const committed = await this.#ledger.submit<unknown>(write.name, write.args);
      await this.#outbox.markDone(id, {
        value: committed.value,
        txId: committed.txId,
        blockNumber: committed.blockNumber.toString(),
      } satisfies WriteOutcome);
      return committed;
    } catch (e) {
      // A refusal is final, except the caller's suspension: that one ends with a reinstatement.
      if (isChaincodeError(e) && e.code !== 'CC_INSTITUTION_SUSPENDED') {
        await this.#outbox.markDone(id, { error: { code: e.code, message: e.message } } satisfies WriteOutcome);
      } else {
        await this.#outbox.markFailed(id, e instanceof Error ? e.message : String(e));
        if (isChaincodeError(e)) this.pause(); // suspended: wait for the reinstatement
      }
      throw e;
    }
  }
}

function replay<T>(outcome: WriteOutcome): Committed<T> {
  if (outcome.error) {
    throw new ChaincodeError(outcome.error.code, outcome.error.message, { recorded: true });
  }
  return { value: outcome.value as T, txId: outcome.txId ?? '', blockNumber: BigInt(outcome.blockNumber ?? '0') };
}
