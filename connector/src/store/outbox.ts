import { ConnectorError, ConnectorErrorCode } from '../domain/errors.js';
import { JsonCollection } from './json-collection.js';
import { KeyedLock } from './keyed-lock.js';
import { checkKey, type RootDb, type Sublevel, sortableNumber, writeAtomic } from './level.js';

const SEQ_KEY = 'seq';
const ENQUEUE_LOCK = '\u0000enqueue';

/** One ledger write waiting to be (or already) submitted. */
export interface OutboxEntry<T = unknown> {
  readonly id: string;
  /** Enqueue order, strictly increasing within a store. */
  readonly seq: number;
  readonly item: T;
  readonly status: 'pending' | 'done';
  readonly enqueuedAt: number;
  readonly attempts: number;
  readonly lastError?: string;
  readonly doneAt?: number;
  /** Whatever the submitter recorded on success (e.g. the transaction id). */
  readonly result?: unknown;
}

/**
 * A durable outbox of ledger writes. `enqueue` is fsync'ed before it returns, so an
 * accepted write survives a crash; it is idempotent by id (the same id again returns
 * the first entry). A submitter loop lists {@link pending} entries in enqueue order and
 * marks each done (or failed, to retry later).
 */
export class Outbox {
  readonly #root: RootDb;
  readonly #items: JsonCollection<OutboxEntry>;
  readonly #pending: JsonCollection<string>;
  readonly #meta: JsonCollection<number>;
  readonly #lock = new KeyedLock();
  readonly #now: () => number;
  #seq: number;

  private constructor(
    root: RootDb,
    items: Sublevel,
    pending: Sublevel,
    meta: Sublevel,
    seq: number,
    now: () => number,
  ) {
    this.#root = root;
    this.#items = new JsonCollection(root, items);
    this.#pending = new JsonCollection(root, pending);
    this.#meta = new JsonCollection(root, meta);
    this.#seq = seq;
    this.#now = now;
  }

  /**
   * Opens the outbox over its sublevels (entries by id, pending ids by sequence, the
   * last sequence number), resuming the sequence after the last entry.
   * @throws ConnectorError `CONN_STORE_UNAVAILABLE`.
   */
  static async open(
    root: RootDb,
    items: Sublevel,
    pending: Sublevel,
    meta: Sublevel,
    now: () => number,
  ): Promise<Outbox> {
    const seq = (await new JsonCollection<number>(root, meta).get(SEQ_KEY)) ?? 0;
    return new Outbox(root, items, pending, meta, seq, now);
  }

  /**
   * Adds `item` under `id`, durably (fsync) before returning. Same id again → the
   * existing entry, unchanged (whatever its item).
   * @throws ConnectorError `CONN_BAD_INPUT` (bad id, item not JSON-serialisable),
   *   `CONN_STORE_UNAVAILABLE`.
   */
  async enqueue<T>(id: string, item: T): Promise<OutboxEntry<T>> {
    checkKey(id, 'outbox id');
    try {
      if (JSON.stringify(item) === undefined) throw new Error('undefined');
    } catch {
      throw new ConnectorError(
        ConnectorErrorCode.BAD_INPUT,
        `outbox item ${id} is not JSON-serialisable`,
      );
    }
    // One enqueue at a time: sequence numbers reach disk in order.
    return this.#lock.run(ENQUEUE_LOCK, async () => {
      const existing = await this.#items.get(id);
      if (existing) return existing as OutboxEntry<T>;
      const entry: OutboxEntry<T> = {
        id,
        seq: ++this.#seq,
        item,
        status: 'pending',
        enqueuedAt: this.#now(),
        attempts: 0,
      };
      await writeAtomic(
        this.#root,
        [
          this.#items.putOp(id, entry),
          this.#pending.putOp(sortableNumber(entry.seq), id),
          this.#meta.putOp(SEQ_KEY, entry.seq),
        ],
        true,
      );
      return entry;
    });
  }

  /** The entry for `id`, if any. @throws `CONN_BAD_INPUT`, `CONN_STORE_UNAVAILABLE`. */
  async get<T = unknown>(id: string): Promise<OutboxEntry<T> | undefined> {
    return (await this.#items.get(id)) as OutboxEntry<T> | undefined;
  }

  /** Pending entries in enqueue order (at most `limit`). @throws `CONN_STORE_UNAVAILABLE`. */
  async pending<T = unknown>(limit = 100): Promise<OutboxEntry<T>[]> {
    const ids: string[] = [];
    for await (const id of this.#pending.values({ limit })) ids.push(id);
    const entries = await this.#items.getMany(ids);
    return entries.filter(
      (e): e is OutboxEntry => e !== undefined && e.status === 'pending',
    ) as OutboxEntry<T>[];
  }

  /**
   * Marks `id` done (durably), storing `result`. Marking a done entry again is a no-op.
   * @throws ConnectorError `CONN_NOT_FOUND` for an unknown id, `CONN_BAD_INPUT`, `CONN_STORE_UNAVAILABLE`.
   */
  async markDone(id: string, result?: unknown): Promise<OutboxEntry> {
    checkKey(id, 'outbox id');
    return this.#lock.run(id, async () => {
      const entry = await this.#require(id);
      if (entry.status === 'done') return entry;
      const done: OutboxEntry = {
        ...entry,
        status: 'done',
        attempts: entry.attempts + 1,
        doneAt: this.#now(),
        ...(result === undefined ? {} : { result }),
      };
      await writeAtomic(
        this.#root,
        [this.#items.putOp(id, done), this.#pending.delOp(sortableNumber(entry.seq))],
        true,
      );
      return done;
    });
  }

  /**
   * Records a failed attempt; the entry stays pending for a retry.
   * @throws ConnectorError `CONN_NOT_FOUND`, `CONN_BAD_INPUT`, `CONN_STORE_UNAVAILABLE`.
   */
  async markFailed(id: string, error: string): Promise<OutboxEntry> {
    checkKey(id, 'outbox id');
    return this.#lock.run(id, async () => {
      const entry = await this.#require(id);
      if (entry.status === 'done') return entry;
      const failed: OutboxEntry = {
        ...entry,
        attempts: entry.attempts + 1,
        lastError: String(error).slice(0, 1000),
      };
      await this.#items.put(id, failed, { sync: true });
      return failed;
    });
  }

  async #require(id: string): Promise<OutboxEntry> {
    const entry = await this.#items.get(id);
    if (!entry) throw new ConnectorError(ConnectorErrorCode.NOT_FOUND, `no outbox entry ${id}`);
    return entry;
  }
}
