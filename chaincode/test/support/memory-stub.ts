/**
 * A minimal in-memory ChaincodeStub + ClientIdentity with Fabric's semantics where the
 * chaincode can notice them: reads see committed state only, writes are applied at commit,
 * composite keys use Fabric's encoding, plain range queries refuse composite keys, paginated
 * queries are refused in submitted transactions, one event per transaction, key history.
 */
import type { Context } from 'fabric-contract-api';

const NS = '\u0000';
const MAX = '\u{10ffff}';

export interface Identity {
  readonly mspId: string;
  readonly clientId: string;
}

export interface HistoryEntry {
  txId: string;
  seconds: number;
  nanos: number;
  isDelete: boolean;
  value: Uint8Array;
}

/** Committed state shared by every transaction of one test ledger. */
export class MemoryWorld {
  readonly state = new Map<string, Uint8Array>();
  readonly history = new Map<string, HistoryEntry[]>();

  sortedKeys(start: string, end: string): string[] {
    return [...this.state.keys()].filter((k) => k >= start && k < end).sort();
  }
}

interface Kv {
  namespace: string;
  key: string;
  value: Uint8Array;
}

function iteratorOf<T>(items: T[]): { next(): Promise<{ value?: T; done: boolean }>; close(): Promise<void> } {
  let i = 0;
  return {
    next: async () => (i < items.length ? { value: items[i++], done: false } : { done: true }),
    close: async () => undefined,
  };
}

/** One transaction's stub. */
export class MemoryStub {
  readonly writes = new Map<string, Uint8Array | null>();
  event: { name: string; payload: Uint8Array } | undefined;
  paginated = false;
  readonly #world: MemoryWorld;
  readonly #txId: string;
  readonly #ms: number;

  constructor(world: MemoryWorld, txId: string, ms: number) {
    this.#world = world;
    this.#txId = txId;
    this.#ms = ms;
  }

  getTxID(): string {
    return this.#txId;
  }

  getTxTimestamp(): { seconds: number; nanos: number } {
    return { seconds: Math.floor(this.#ms / 1000), nanos: (this.#ms % 1000) * 1e6 };
  }

  getDateTimestamp(): Date {
    return new Date(this.#ms);
  }

  async getState(key: string): Promise<Uint8Array> {
    return this.#world.state.get(key) ?? new Uint8Array(0);
  }

  async putState(key: string, value: Uint8Array): Promise<void> {
    if (!key) throw new Error('key must not be empty');
    this.writes.set(key, value);
  }

  async deleteState(key: string): Promise<void> {
    this.writes.set(key, null);
  }

  setEvent(name: string, payload: Uint8Array): void {
    this.event = { name, payload };
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    for (const a of [objectType, ...attributes]) {
      if (typeof a !== 'string' || a.length === 0) throw new Error('object type or attribute not a non-zero length string');
    }
    return NS + objectType + NS + attributes.map((a) => a + NS).join('');
  }

  splitCompositeKey(key: string): { objectType: string; attributes: string[] } {
    const parts = key.slice(1).split(NS);
    parts.pop();
    return { objectType: parts[0] ?? '', attributes: parts.slice(1) };
  }

  #kvs(start: string, end: string, limit = Infinity): Kv[] {
    return this.#world
      .sortedKeys(start, end)
      .slice(0, limit)
      .map((key) => ({ namespace: 'xinlian', key, value: this.#world.state.get(key)! }));
  }

  #simpleRange(start: string, end: string): void {
    if (start.startsWith(NS) || end.startsWith(NS)) throw new Error('first character of the key contains a null character which is not allowed');
  }

  async getStateByRange(startKey: string, endKey: string) {
    this.#simpleRange(startKey, endKey);
    return iteratorOf(this.#kvs(startKey || '\u0001', endKey || MAX));
  }

  async getStateByRangeWithPagination(startKey: string, endKey: string, pageSize: number, bookmark = '') {
    this.#simpleRange(startKey, endKey);
    this.paginated = true;
    const from = bookmark || startKey || '\u0001';
    const all = this.#kvs(from, endKey || MAX, pageSize + 1);
    const page = all.slice(0, pageSize);
    return {
      iterator: iteratorOf(page),
      metadata: { fetchedRecordsCount: page.length, bookmark: all[pageSize]?.key ?? '' },
    };
  }

  async getStateByPartialCompositeKey(objectType: string, attributes: string[]) {
    const prefix = this.createCompositeKey(objectType, attributes);
    return iteratorOf(this.#kvs(prefix, prefix + MAX));
  }

  async getStateByPartialCompositeKeyWithPagination(objectType: string, attributes: string[], pageSize: number, bookmark = '') {
    this.paginated = true;
    const prefix = this.createCompositeKey(objectType, attributes);
    const all = this.#kvs(bookmark || prefix, prefix + MAX, pageSize + 1);
    const page = all.slice(0, pageSize);
    return {
      iterator: iteratorOf(page),
      metadata: { fetchedRecordsCount: page.length, bookmark: all[pageSize]?.key ?? '' },
    };
  }

  async getHistoryForKey(key: string) {
    const entries = this.#world.history.get(key) ?? [];
    return iteratorOf(
      entries.map((h) => ({ txId: h.txId, isDelete: h.isDelete, value: h.value, timestamp: { seconds: h.seconds, nanos: h.nanos } })),
    );
  }
}

/** A context as fabric-contract-api passes it to transaction functions. */
export function newContext(stub: MemoryStub, identity: Identity): Context {
  const clientIdentity = {
    getMSPID: () => identity.mspId,
    getID: () => identity.clientId,
    getIDBytes: () => new Uint8Array(0),
    getAttributeValue: () => null,
    assertAttributeValue: () => false,
  };
  return { stub, clientIdentity, logging: {} } as unknown as Context;
}
