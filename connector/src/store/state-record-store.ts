import { ConnectorError, ConnectorErrorCode } from '../domain/errors.js';
import { JsonCollection } from './json-collection.js';
import { KeyedLock } from './keyed-lock.js';
import { checkKey, type RootDb, type Sublevel, writeAtomic } from './level.js';

/** A persisted record of a process with a state (a negotiation, a transfer). */
export interface StateRecord<S extends string = string, T = unknown> {
  readonly id: string;
  readonly state: S;
  /** Starts at 1, +1 on every update. */
  readonly version: number;
  /** ms since the epoch */
  readonly createdAt: number;
  /** ms since the epoch */
  readonly updatedAt: number;
  readonly data: T;
}

/** A change to a record; the expectations make it a compare-and-set. */
export interface RecordUpdate<S extends string, T> {
  readonly state?: S;
  readonly data?: T;
  /** Refuse unless the current state is (one of) these. */
  readonly expectedState?: S | readonly S[];
  /** Refuse unless the current version is this. */
  readonly expectedVersion?: number;
}

const STATE_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Records with a state and `updatedAt`, indexed by state so a processing loop can
 * list, say, every `REQUESTED` negotiation. Updates are compare-and-set within the
 * process and atomic on disk (record and index in one batch, fsync'ed).
 */
export class StateRecordStore<S extends string = string, T = unknown> {
  readonly #root: RootDb;
  readonly #records: JsonCollection<StateRecord<S, T>>;
  readonly #byState: JsonCollection<string>;
  readonly #lock: KeyedLock;
  readonly #now: () => number;
  readonly #sublevels: readonly [Sublevel, Sublevel];

  constructor(
    root: RootDb,
    records: Sublevel,
    byState: Sublevel,
    now: () => number,
    lock = new KeyedLock(),
  ) {
    this.#root = root;
    this.#records = new JsonCollection(root, records);
    this.#byState = new JsonCollection(root, byState);
    this.#now = now;
    this.#lock = lock;
    this.#sublevels = [records, byState];
  }

  /** The same store seen with narrower state and data types (no conversion happens). */
  typed<S2 extends string, T2>(): StateRecordStore<S2, T2> {
    return new StateRecordStore<S2, T2>(
      this.#root,
      this.#sublevels[0],
      this.#sublevels[1],
      this.#now,
      this.#lock,
    );
  }

  /**
   * Creates a record in `state`.
   * @throws ConnectorError `CONN_CONFLICT` when the id exists, `CONN_BAD_INPUT`, `CONN_STORE_UNAVAILABLE`.
   */
  async create(id: string, state: S, data: T): Promise<StateRecord<S, T>> {
    checkKey(id, 'record id');
    checkState(state);
    return this.#lock.run(id, async () => {
      if (await this.#records.has(id))
        throw new ConnectorError(ConnectorErrorCode.CONFLICT, `record ${id} already exists`);
      const now = this.#now();
      const record: StateRecord<S, T> = {
        id,
        state,
        version: 1,
        createdAt: now,
        updatedAt: now,
        data,
      };
      await writeAtomic(
        this.#root,
        [this.#records.putOp(id, record), this.#byState.putOp(indexKey(state, id), id)],
        true,
      );
      return record;
    });
  }

  /** @throws `CONN_BAD_INPUT`, `CONN_STORE_UNAVAILABLE`. */
  get(id: string): Promise<StateRecord<S, T> | undefined> {
    return this.#records.get(id);
  }

  /**
   * Changes state and/or data if the expectations hold; bumps version and `updatedAt`.
   * @throws ConnectorError `CONN_NOT_FOUND`, `CONN_CONFLICT` (expectation failed),
   *   `CONN_BAD_INPUT`, `CONN_STORE_UNAVAILABLE`.
   */
  async update(id: string, change: RecordUpdate<S, T>): Promise<StateRecord<S, T>> {
    checkKey(id, 'record id');
    if (change.state !== undefined) checkState(change.state);
    return this.#lock.run(id, async () => {
      const current = await this.#records.get(id);
      if (!current) throw new ConnectorError(ConnectorErrorCode.NOT_FOUND, `no record ${id}`);
      const expected = change.expectedState;
      if (
        expected !== undefined &&
        !(typeof expected === 'string' ? [expected] : expected).includes(current.state)
      ) {
        throw new ConnectorError(
          ConnectorErrorCode.CONFLICT,
          `record ${id} is ${current.state}, expected ${String(expected)}`,
        );
      }
      if (change.expectedVersion !== undefined && change.expectedVersion !== current.version) {
        throw new ConnectorError(
          ConnectorErrorCode.CONFLICT,
          `record ${id} is at version ${current.version}, expected ${change.expectedVersion}`,
        );
      }
      const next: StateRecord<S, T> = {
        ...current,
        state: change.state ?? current.state,
        data: change.data === undefined ? current.data : change.data,
        version: current.version + 1,
        updatedAt: this.#now(),
      };
      const ops = [this.#records.putOp(id, next)];
      if (next.state !== current.state) {
        ops.push(
          this.#byState.delOp(indexKey(current.state, id)),
          this.#byState.putOp(indexKey(next.state, id), id),
        );
      }
      await writeAtomic(this.#root, ops, true);
      return next;
    });
  }

  /** Records currently in `state`, in id order. @throws `CONN_BAD_INPUT`, `CONN_STORE_UNAVAILABLE`. */
  async listByState(state: S, limit = 1000): Promise<StateRecord<S, T>[]> {
    checkState(state);
    const ids: string[] = [];
    for await (const id of this.#byState.values({ gt: `${state}!`, lt: `${state}!\uffff`, limit }))
      ids.push(id);
    const records = await this.#records.getMany(ids);
    return records.filter((r): r is StateRecord<S, T> => r !== undefined && r.state === state);
  }

  /** All records in id order (at most `limit`). @throws `CONN_STORE_UNAVAILABLE`. */
  async list(limit = 1000): Promise<StateRecord<S, T>[]> {
    const out: StateRecord<S, T>[] = [];
    for await (const r of this.#records.values({ limit })) out.push(r);
    return out;
  }
}

function indexKey(state: string, id: string): string {
  return `${state}!${id}`;
}

function checkState(state: unknown): void {
  if (typeof state !== 'string' || !STATE_PATTERN.test(state)) {
    throw new ConnectorError(
      ConnectorErrorCode.BAD_INPUT,
      'a state must be 1–64 characters of A-Z a-z 0-9 _ . -',
    );
  }
}
