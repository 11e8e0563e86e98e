/**
 * The simulation stub: fabric-shim's ChaincodeStub API over a snapshot of committed state,
 * collecting a read set (with versions), range reads and a write set, as a Fabric peer's
 * transaction simulator does. Like Fabric, reads never see the transaction's own writes.
 */
import { createHash } from 'node:crypto';
import type { StoredRangeRead, StoredVersion } from './block.js';
import { Long, type LongLike } from './fabric-shim.js';
import type { Proposal } from './proposal.js';
import {
  asQueryResult, listIterator, shimIterator,
  type PaginatedResponse, type ShimIterator, type ShimKeyModification, type ShimKV,
} from './query-results.js';
import type { StateRange, StateView } from './store.js';

const NS = '\x00';
const MAX_RUNE = '\u{10ffff}';
const EMPTY_KEY_SUBSTITUTE = '\x01';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type SimulationMode = 'submit' | 'evaluate';

export interface SimulationResult {
  readonly reads: readonly (readonly [string, StoredVersion])[];
  readonly ranges: readonly StoredRangeRead[];
  readonly writes: ReadonlyMap<string, Buffer | null>;
  readonly event: { readonly name: string; readonly payload: Buffer } | null;
}

interface RangeRecord {
  readonly start: string;
  readonly end: string;
  exhausted: boolean;
  readonly reads: [string, [number, number]][];
}

function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key === '' || LONE_SURROGATE.test(key)) {
    throw new Error(`invalid key ${JSON.stringify(key)}: keys must be non-empty valid UTF-8 strings`);
  }
  return key;
}

function checkSimpleKey(key: string): void {
  if (key.charAt(0) === NS) {
    throw new Error(`first character of the key [${key}] contains a null character which is not allowed`);
  }
}

function checkAttribute(a: unknown): string {
  if (typeof a !== 'string' || a.length === 0) throw new Error('object type or attribute not a non-zero length string');
  return a;
}

/** fabric-shim's ChaincodeStub, for one simulated transaction. */
export class SimulationStub {
  readonly #proposal: Proposal;
  readonly #view: StateView;
  readonly #mode: SimulationMode;
  readonly #reads = new Map<string, StoredVersion>();
  readonly #ranges: RangeRecord[] = [];
  readonly #writes = new Map<string, Buffer | null>();
  readonly #open = new Set<StateRange>();
  #event: { name: string; payload: Buffer } | null = null;
  #paginated = false;

  constructor(proposal: Proposal, view: StateView, mode: SimulationMode) {
    this.#proposal = proposal;
    this.#view = view;
    this.#mode = mode;
  }

  getArgs(): string[] { return [this.#proposal.fn, ...this.#proposal.args]; }
  getStringArgs(): string[] { return this.getArgs(); }
  getBufferArgs(): Buffer[] { return this.getArgs().map((a) => Buffer.from(a)); }
  getFunctionAndParameters(): { fcn: string; params: string[] } {
    return { fcn: this.#proposal.fn, params: [...this.#proposal.args] };
  }
  getTxID(): string { return this.#proposal.txId; }
  getChannelID(): string { return this.#proposal.channel; }
  getCreator(): { mspid: string; idBytes: Buffer } {
    return { mspid: this.#proposal.creator.mspId, idBytes: Buffer.from(this.#proposal.creator.certificatePem) };
  }
  getMspID(): string {
    const msp = process.env.CORE_PEER_LOCALMSPID;
    if (msp === undefined) throw new Error('CORE_PEER_LOCALMSPID is unset in chaincode process');
    return msp;
  }
  getTransient(): Map<string, Uint8Array> { return new Map(); }
  getTxTimestamp(): { seconds: LongLike; nanos: number } {
    return { seconds: Long.fromNumber(this.#proposal.timestamp.seconds, true), nanos: this.#proposal.timestamp.nanos };
  }
  getDateTimestamp(): Date {
    const { seconds, nanos } = this.#proposal.timestamp;
    return new Date(seconds * 1000 + Math.floor(nanos / 1_000_000));
  }
  getBinding(): string {
    const c = this.#proposal.creator;
    return createHash('sha256').update(Buffer.from(this.#proposal.nonce, 'hex')).update(c.mspId).update(c.certificatePem).update(Buffer.alloc(8)).digest('hex');
  }

  async getState(key: string): Promise<Buffer> {
    checkKey(key);
    const found = await this.#view.get(key);
    if (!this.#reads.has(key)) this.#reads.set(key, found ? [found.version.block, found.version.tx] : null);
    return found ? Buffer.from(found.value) : Buffer.alloc(0);
  }

  async putState(key: string, value: Uint8Array | string): Promise<void> {
    checkKey(key);
    this.#checkWrite();
    if (typeof value !== 'string' && !(value instanceof Uint8Array)) throw new Error('value must be a string or bytes');
    const bytes = Buffer.from(value);
    // Fabric's write set treats an empty value as a delete.
    this.#writes.set(key, bytes.length === 0 ? null : bytes);
  }

  async deleteState(key: string): Promise<void> {
    checkKey(key);
    this.#checkWrite();
    this.#writes.set(key, null);
  }

  getStateByRange(startKey: string, endKey: string): Promise<ShimIterator<ShimKV>> & AsyncIterable<ShimKV> {
    return asQueryResult(this.#range(startKey || EMPTY_KEY_SUBSTITUTE, endKey, true));
  }

  getStateByRangeWithPagination(startKey: string, endKey: string, pageSize: number, bookmark?: string) {
    return asQueryResult(this.#page(startKey || EMPTY_KEY_SUBSTITUTE, endKey, pageSize, bookmark, true));
  }

  getStateByPartialCompositeKey(objectType: string, attributes: string[]) {
    return asQueryResult(this.#range(this.createCompositeKey(objectType, attributes), '', false, MAX_RUNE));
  }

  getStateByPartialCompositeKeyWithPagination(objectType: string, attributes: string[], pageSize: number, bookmark?: string) {
    const partial = this.createCompositeKey(objectType, attributes);
    return asQueryResult(this.#page(partial, partial + MAX_RUNE, pageSize, bookmark, false));
  }

  getHistoryForKey(key: string): Promise<ShimIterator<ShimKeyModification>> & AsyncIterable<ShimKeyModification> {
    const run = async (): Promise<ShimIterator<ShimKeyModification>> => {
      checkKey(key);
      return listIterator((await this.#view.history(key)).map((h) => ({ ...h, timestamp: { ...h.timestamp } })));
    };
    return asQueryResult(run());
  }

  setEvent(name: string, payload: Uint8Array | string): void {
    if (typeof name !== 'string' || name === '') throw new Error('Event name must be a non-empty string');
    this.#event = { name, payload: Buffer.from(payload ?? '') };
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    checkAttribute(objectType);
    if (!Array.isArray(attributes)) throw new Error('attributes must be an array');
    return NS + objectType + NS + attributes.map((a) => checkAttribute(a) + NS).join('');
  }

  splitCompositeKey(compositeKey: string): { objectType: string | null; attributes: string[] } {
    if (!compositeKey || compositeKey.length < 2 || compositeKey.charAt(0) !== NS) return { objectType: null, attributes: [] };
    const parts = compositeKey.substring(1).split(NS);
    parts.pop();
    return { objectType: parts[0] ?? null, attributes: parts.slice(1) };
  }

  getQueryResult(): never { throw new Error('ExecuteQuery not supported for leveldb'); }
  getQueryResultWithPagination(): never { throw new Error('ExecuteQuery not supported for leveldb'); }
  invokeChaincode(): never { throw new Error('invokeChaincode is not supported by the embedded ledger'); }
  getPrivateData(): never { throw new Error('private data is not supported by the embedded ledger'); }
  putPrivateData(): never { throw new Error('private data is not supported by the embedded ledger'); }
  setStateValidationParameter(): never { throw new Error('key-level endorsement is not supported by the embedded ledger'); }

  /** Ends the simulation: closes iterators left open and returns the read/write sets and event. */
  async finish(): Promise<SimulationResult> {
    await Promise.all([...this.#open].map((r) => r.close()));
    this.#open.clear();
    return {
      reads: [...this.#reads],
      ranges: this.#ranges.map((r) => ({ start: r.start, end: r.end, exhausted: r.exhausted, reads: r.reads })),
      writes: this.#writes,
      event: this.#event,
    };
  }

  #checkWrite(): void {
    if (this.#paginated) {
      throw new Error(`txid [${this.#proposal.txId}]: unsuppored transaction. Queries with pagination are supported only in a read-only transaction`);
    }
  }

  async #range(start: string, end: string, simple: boolean, endSuffix = ''): Promise<ShimIterator<ShimKV>> {
    if (simple) {
      checkSimpleKey(start);
      checkSimpleKey(end);
    }
    const to = endSuffix ? start + endSuffix : end;
    const range = this.#view.range(start, to);
    this.#open.add(range);
    const record: RangeRecord = { start, end: to, exhausted: false, reads: [] };
    this.#ranges.push(record);
    return shimIterator({
      next: async () => {
        const entry = await range.next();
        if (!entry) {
          record.exhausted = true;
          return undefined;
        }
        record.reads.push([entry.key, [entry.version.block, entry.version.tx]]);
        return { namespace: this.#proposal.chaincode, key: entry.key, value: Buffer.from(entry.value) };
      },
      close: async () => {
        this.#open.delete(range);
        await range.close();
      },
    });
  }

  async #page(start: string, end: string, pageSize: number, bookmark: string | undefined, simple: boolean): Promise<PaginatedResponse<ShimKV>> {
    if (simple) {
      checkSimpleKey(start);
      checkSimpleKey(end);
    }
    if (this.#mode === 'submit' || this.#writes.size > 0) {
      throw new Error(`txid [${this.#proposal.txId}]: unsuppored transaction. Paginated queries are supported only in a read-only transaction`);
    }
    if (!Number.isInteger(pageSize) || pageSize <= 0) throw new Error(`invalid page size ${String(pageSize)}`);
    this.#paginated = true;
    const range = this.#view.range(bookmark ? bookmark : start, end);
    try {
      const items: ShimKV[] = [];
      let next = await range.next();
      while (next && items.length < pageSize) {
        items.push({ namespace: this.#proposal.chaincode, key: next.key, value: Buffer.from(next.value) });
        next = await range.next();
      }
      return { iterator: listIterator(items), metadata: { fetchedRecordsCount: items.length, bookmark: next ? next.key : '' } };
    } finally {
      await range.close();
    }
  }
}
