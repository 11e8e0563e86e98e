import { checkKey, guard, type RootDb, type Sublevel, type WriteOp, writeAtomic } from './level.js';

/** A key range over a collection (string order). */
export interface KeyRange {
  readonly gt?: string;
  readonly gte?: string;
  readonly lt?: string;
  readonly lte?: string;
  readonly limit?: number;
  readonly reverse?: boolean;
}

function iteratorOptions(range: KeyRange): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const k of ['gt', 'gte', 'lt', 'lte', 'reverse'] as const)
    if (range[k] !== undefined) o[k] = range[k];
  o['limit'] = range.limit ?? -1;
  return o;
}

/**
 * A typed collection of JSON values in one sublevel. Values are stored as given; the
 * collection does not validate their shape (the writer owns it).
 */
export class JsonCollection<T> {
  readonly #root: RootDb;
  readonly #sub: Sublevel;

  constructor(root: RootDb, sub: Sublevel) {
    this.#root = root;
    this.#sub = sub;
  }

  /** @throws ConnectorError `CONN_BAD_INPUT` (bad key), `CONN_STORE_UNAVAILABLE`. */
  async get(key: string): Promise<T | undefined> {
    checkKey(key);
    return (await guard(() => this.#sub.get(key))) as T | undefined;
  }

  /** Values for `keys`, `undefined` where absent. @throws as {@link get}. */
  async getMany(keys: readonly string[]): Promise<(T | undefined)[]> {
    keys.forEach((k) => checkKey(k));
    return (await guard(() => this.#sub.getMany([...keys]))) as (T | undefined)[];
  }

  /** @throws as {@link get}. */
  async has(key: string): Promise<boolean> {
    checkKey(key);
    return guard(() => this.#sub.has(key));
  }

  /** @throws as {@link get}. */
  async put(key: string, value: T, options: { sync?: boolean } = {}): Promise<void> {
    checkKey(key);
    await writeAtomic(this.#root, [this.putOp(key, value)], options.sync);
  }

  /** Writes all entries in one atomic batch. @throws as {@link get}. */
  async putMany(
    entries: Iterable<readonly [string, T]>,
    options: { sync?: boolean } = {},
  ): Promise<void> {
    const ops: { type: 'put'; key: string; value: unknown }[] = [];
    for (const [key, value] of entries) {
      checkKey(key);
      ops.push({ type: 'put', key, value });
    }
    // A sublevel passes `sync` on to classic-level; its typings only know the abstract options.
    const batchOptions = { sync: options.sync ?? false, valueEncoding: 'json' as const };
    if (ops.length > 0) await guard(() => this.#sub.batch(ops, batchOptions));
  }

  /** @throws as {@link get}. */
  async del(key: string): Promise<void> {
    checkKey(key);
    await guard(() => this.#sub.del(key));
  }

  /** A put of this collection, for an atomic batch with other sublevels. @throws `CONN_BAD_INPUT`. */
  putOp(key: string, value: T): WriteOp {
    checkKey(key);
    return { type: 'put', sublevel: this.#sub, key, value };
  }

  /** A delete of this collection, for an atomic batch. @throws `CONN_BAD_INPUT`. */
  delOp(key: string): WriteOp {
    checkKey(key);
    return { type: 'del', sublevel: this.#sub, key };
  }

  /** Entries in key order. @throws ConnectorError `CONN_STORE_UNAVAILABLE` while iterating. */
  async *entries(range: KeyRange = {}): AsyncGenerator<[string, T]> {
    const it = this.#sub.iterator(iteratorOptions(range));
    try {
      for (;;) {
        const batch = await guard(() => it.nextv(1000));
        if (batch.length === 0) return;
        for (const [k, v] of batch) yield [k, v as T];
      }
    } finally {
      await it.close();
    }
  }

  /** Values in key order. */
  async *values(range: KeyRange = {}): AsyncGenerator<T> {
    for await (const [, v] of this.entries(range)) yield v;
  }

  /** Keys in key order. @throws ConnectorError `CONN_STORE_UNAVAILABLE`. */
  async *keys(range: KeyRange = {}): AsyncGenerator<string> {
    const it = this.#sub.keys(iteratorOptions(range));
    try {
      for (;;) {
        const batch = await guard(() => it.nextv(1000));
        if (batch.length === 0) return;
        yield* batch;
      }
    } finally {
      await it.close();
    }
  }

  /** Number of keys in the range (a key scan). */
  async count(range: KeyRange = {}): Promise<number> {
    let n = 0;
    for await (const _ of this.keys(range)) n++;
    return n;
  }
}
