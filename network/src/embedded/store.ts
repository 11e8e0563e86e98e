/**
 * The embedded ledger's LevelDB layout. One database, prefixed key spaces:
 *   s:<key>                       state: 6-byte block number, 4-byte tx number, value bytes
 *   h:<sha256(key)>:<block><tx>   history of a key (JSON)
 *   b:<block>                     block (canonical JSON)
 *   t:<txId>                      where a transaction is and its validation code (JSON)
 *   m:height, m:head              chain head
 * A block is committed with ONE atomic batch: state, history, block, index and head together.
 */
import { createHash } from 'node:crypto';
import { ClassicLevel } from 'classic-level';
import { LedgerError } from '../errors.js';
import type { StoredBlock } from './block.js';
import type { TxTimestamp } from './proposal.js';
import { StateCache, type ReaderPosition } from './state-cache.js';

/** Fabric's version of a key: the (block, transaction) that last wrote it. */
export interface Version {
  readonly block: number;
  readonly tx: number;
}

export interface VersionedValue {
  readonly key: string;
  readonly value: Buffer;
  readonly version: Version;
}

export interface HistoryEntry {
  readonly txId: string;
  readonly timestamp: TxTimestamp;
  readonly isDelete: boolean;
  readonly value: Buffer;
}

/** A write to apply at commit. `value` null = delete. */
export interface StateUpdate {
  readonly key: string;
  readonly value: Buffer | null;
  readonly version: Version;
  readonly txId: string;
  readonly timestamp: TxTimestamp;
}

export interface TxLocation {
  readonly block: number;
  readonly index: number;
  readonly code: string;
}

type Db = ClassicLevel<string, Buffer>;
type Snapshot = ReturnType<Db['snapshot']>;

const HEADER = 10;
const STATE_END = 's;';

export const stateKey = (key: string): string => `s:${key}`;
const blockKey = (n: number): string => `b:${n.toString(16).padStart(12, '0')}`;
const historyPrefix = (key: string): string => `h:${createHash('sha256').update(key).digest('hex')}:`;
const historyKey = (key: string, v: Version): string =>
  `${historyPrefix(key)}${v.block.toString(16).padStart(12, '0')}${v.tx.toString(16).padStart(8, '0')}`;

function encodeState(value: Buffer, v: Version): Buffer {
  const out = Buffer.allocUnsafe(HEADER + value.length);
  out.writeUIntBE(v.block, 0, 6);
  out.writeUInt32BE(v.tx, 6);
  value.copy(out, HEADER);
  return out;
}

function decodeState(key: string, raw: Buffer): VersionedValue {
  return {
    key,
    version: { block: raw.readUIntBE(0, 6), tx: raw.readUInt32BE(6) },
    value: raw.subarray(HEADER),
  };
}

/** A lazily read, closeable range over state (keys in LevelDB byte order). */
export class StateRange {
  readonly #it: ReturnType<Db['iterator']>;
  #buffer: [string, Buffer][] = [];
  #done = false;

  constructor(db: Db, start: string, end: string, snapshot: Snapshot | undefined) {
    this.#it = db.iterator({ gte: stateKey(start), lt: end === '' ? STATE_END : stateKey(end), snapshot });
  }

  /** Next entry, or undefined at the end. */
  async next(): Promise<VersionedValue | undefined> {
    if (this.#buffer.length === 0 && !this.#done) {
      this.#buffer = ((await this.#it.nextv(100)) as [string, Buffer][]).reverse();
      if (this.#buffer.length === 0) this.#done = true;
    }
    const entry = this.#buffer.pop();
    return entry ? decodeState(entry[0].slice(2), entry[1]) : undefined;
  }

  async close(): Promise<void> {
    await this.#it.close();
  }
}

/**
 * A consistent read-only view of committed state (a LevelDB snapshot), answered from the
 * store's {@link StateCache} while that still describes the snapshot's state.
 */
export class StateView {
  readonly #db: Db;
  readonly #snapshot: Snapshot | undefined;
  readonly #cache: StateCache | undefined;
  readonly #at: ReaderPosition | undefined;

  /** Take `cache.position()` immediately before the snapshot, in the same turn of the event loop. */
  constructor(db: Db, snapshot: Snapshot | undefined, cache?: StateCache) {
    this.#db = db;
    this.#snapshot = snapshot;
    this.#cache = cache;
    this.#at = cache?.position();
  }

  async get(key: string): Promise<VersionedValue | undefined> {
    const cache = this.#cache;
    const at = this.#at;
    if (cache && at) {
      const hit = cache.lookup(at, key);
      if (hit !== undefined) return hit === null ? undefined : { key, value: hit.value, version: hit.version };
    }
    const raw = await this.#db.get(stateKey(key), { snapshot: this.#snapshot });
    const found = raw === undefined ? undefined : decodeState(key, raw);
    if (cache && at) cache.fill(at, key, found ? { value: found.value, version: found.version } : null);
    return found;
  }

  /** Keys in [start, end) (end '' = to the end of the key space). */
  range(start: string, end: string): StateRange {
    return new StateRange(this.#db, start, end, this.#snapshot);
  }

  /** History of a key, newest first (as Fabric 2.x returns it). */
  async history(key: string): Promise<HistoryEntry[]> {
    const prefix = historyPrefix(key);
    const out: HistoryEntry[] = [];
    for await (const raw of this.#db.values({ gte: prefix, lt: `${prefix}~`, reverse: true, snapshot: this.#snapshot })) {
      const h = JSON.parse(raw.toString('utf8')) as { txId: string; s: number; n: number; d: boolean; v: string };
      out.push({ txId: h.txId, timestamp: { seconds: h.s, nanos: h.n }, isDelete: h.d, value: Buffer.from(h.v, 'base64') });
    }
    return out;
  }

  async close(): Promise<void> {
    await this.#snapshot?.close();
  }
}

/** The persistent store of one embedded ledger. */
export class LedgerStore {
  readonly #db: Db;
  readonly #cache: StateCache;
  #height: number;
  #headHash: string;

  private constructor(db: Db, height: number, headHash: string) {
    this.#db = db;
    this.#height = height;
    this.#headHash = headHash;
    this.#cache = new StateCache(height);
  }

  /**
   * Opens (creating if needed) the store at `location`.
   *
   * @throws LedgerError `LEDGER_UNAVAILABLE` when the database cannot be opened (e.g. locked by another process).
   */
  static async open(location: string): Promise<LedgerStore> {
    const db: Db = new ClassicLevel<string, Buffer>(location, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
    try {
      await db.open();
    } catch (cause) {
      throw new LedgerError('LEDGER_UNAVAILABLE', `cannot open the ledger store at ${location}`, { cause });
    }
    const [height, head] = await db.getMany(['m:height', 'm:head']);
    return new LedgerStore(db, height ? Number(height.toString('utf8')) : 0, head ? head.toString('utf8') : '');
  }

  /** Number of committed blocks. */
  get height(): number {
    return this.#height;
  }

  /** Header hash of the last committed block ('' before the first). */
  get headHash(): string {
    return this.#headHash;
  }

  /** A snapshot of committed state for one simulation; close it when done. */
  view(): StateView {
    return new StateView(this.#db, this.#db.snapshot(), this.#cache);
  }

  /**
   * A snapshot of the whole store with the height and head recorded IN it (a block whose
   * batch is written but whose commit has not yet returned is seen consistently: state,
   * blocks and head together). For the deep integrity check; close the view when done.
   */
  async consistentView(): Promise<{ view: StateView; height: number; headHash: string }> {
    const snapshot = this.#db.snapshot();
    try {
      const [height, head] = await this.#db.getMany(['m:height', 'm:head'], { snapshot });
      return { view: new StateView(this.#db, snapshot), height: height ? Number(height.toString('utf8')) : 0, headHash: head ? head.toString('utf8') : '' };
    } catch (e) {
      await snapshot.close();
      throw e;
    }
  }

  /** The live committed state (used by the validator, which runs between commits). */
  live(): StateView {
    return new StateView(this.#db, undefined, this.#cache);
  }

  /**
   * Commits one block and everything it changes in one atomic, synced batch. `text` is the
   * block's stored JSON when the caller already has it (default: JSON.stringify of `block`).
   */
  async commit(block: StoredBlock, blockHash: string, updates: readonly StateUpdate[], sync: boolean, text?: string): Promise<void> {
    const batch = this.#db.batch();
    for (const u of updates) {
      if (u.value === null) batch.del(stateKey(u.key));
      else batch.put(stateKey(u.key), encodeState(u.value, u.version));
      const h = { txId: u.txId, s: u.timestamp.seconds, n: u.timestamp.nanos, d: u.value === null, v: (u.value ?? Buffer.alloc(0)).toString('base64') };
      batch.put(historyKey(u.key, u.version), Buffer.from(JSON.stringify(h)));
    }
    const n = block.header.number;
    block.data.transactions.forEach((tx, index) => {
      batch.put(`t:${tx.proposal.txId}`, Buffer.from(JSON.stringify({ block: n, index, code: tx.validationCode })));
    });
    batch.put(blockKey(n), Buffer.from(text ?? JSON.stringify(block)));
    batch.put('m:height', Buffer.from(String(n + 1)));
    batch.put('m:head', Buffer.from(blockHash));
    this.#cache.beginCommit(updates);
    try {
      await batch.write({ sync });
    } catch (e) {
      this.#cache.abortCommit();
      throw e;
    }
    this.#height = n + 1;
    this.#headHash = blockHash;
    this.#cache.endCommit(this.#height, updates);
  }

  /** The stored text of a block (undefined past the height). */
  async readBlockText(n: number): Promise<string | undefined> {
    const raw = await this.#db.get(blockKey(n));
    return raw?.toString('utf8');
  }

  /** Overwrites a stored block's text. For tamper-detection tests and repair tooling only. */
  async writeBlockText(n: number, text: string): Promise<void> {
    await this.#db.put(blockKey(n), Buffer.from(text));
  }

  async txLocation(txId: string): Promise<TxLocation | undefined> {
    const raw = await this.#db.get(`t:${txId}`);
    return raw === undefined ? undefined : (JSON.parse(raw.toString('utf8')) as TxLocation);
  }

  async close(): Promise<void> {
    await this.#db.close();
  }
}
