import type { Context } from 'fabric-contract-api';
import { canonicalJson } from '../canonical-json.js';
import { ErrorCode, ccError } from '../errors.js';
import type { AuditRecord } from '../records.js';
import type { AuditType } from '../constants.js';
import { auditByInstitutionKey, auditByTypeKey, auditKey, type RecordKind } from './keys.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A key and its decoded JSON value from a range scan. */
export interface Entry<T> {
  key: string;
  value: T;
}

/**
 * One transaction's view of the ledger: the tx time and id, JSON reads from committed
 * state, and writes that are buffered until {@link Tx.commit} — so a refused transaction
 * writes nothing but its denial, and every value is canonical JSON.
 */
export class Tx {
  readonly ctx: Context;
  readonly txId: string;
  /** Transaction time, ms since the epoch. */
  readonly nowMs: number;
  readonly nowIso: string;
  #writes = new Map<string, Uint8Array | null>();
  #audit: AuditRecord | undefined;

  constructor(ctx: Context) {
    this.ctx = ctx;
    this.txId = ctx.stub.getTxID();
    const ts = ctx.stub.getTxTimestamp();
    this.nowMs = Number(String(ts.seconds)) * 1000 + Math.floor(Number(ts.nanos ?? 0) / 1e6);
    this.nowIso = new Date(this.nowMs).toISOString();
  }

  /** Composite key. */
  key(type: string, attributes: string[]): string {
    return this.ctx.stub.createCompositeKey(type, attributes);
  }

  /** Key of a record. */
  recordKey(kind: RecordKind, id: string): string {
    return this.key(kind, [id]);
  }

  /** Reads a JSON value from committed state. */
  async get<T>(key: string): Promise<T | undefined> {
    const bytes = await this.ctx.stub.getState(key);
    if (!bytes || bytes.length === 0) return undefined;
    return JSON.parse(decoder.decode(bytes)) as T;
  }

  /** Reads a record. */
  async record<T>(kind: RecordKind, id: string): Promise<T | undefined> {
    return this.get<T>(this.recordKey(kind, id));
  }

  /** Reads a record. @throws CC_NOT_FOUND (or the given code) when absent. */
  async mustRecord<T>(kind: RecordKind, id: string, code: ErrorCode = ErrorCode.NOT_FOUND): Promise<T> {
    const v = await this.record<T>(kind, id);
    if (v === undefined) throw ccError(code, `${kind} ${id} not found`);
    return v;
  }

  /** Buffers a canonical-JSON write. */
  put(key: string, value: unknown): void {
    this.#writes.set(key, encoder.encode(canonicalJson(value)));
  }

  /** Buffers a delete. */
  del(key: string): void {
    this.#writes.set(key, null);
  }

  /** Sets the transaction's audit record (exactly one per committed change). */
  audit(type: AuditType, institution: string, details: Record<string, unknown> = {}): AuditRecord {
    if (this.#audit) throw ccError(ErrorCode.INTERNAL, 'a transaction records one audit record');
    this.#audit = { ...details, txId: this.txId, type, institution, at: this.nowIso };
    return this.#audit;
  }

  /** Drops buffered writes and the audit record. */
  discard(): void {
    this.#writes.clear();
    this.#audit = undefined;
  }

  /** Writes the buffered state, the audit record with its three indexes, and the event. */
  async commit(): Promise<void> {
    for (const [key, value] of this.#writes) {
      if (value === null) await this.ctx.stub.deleteState(key);
      else await this.ctx.stub.putState(key, value);
    }
    const a = this.#audit;
    if (a) {
      const bytes = encoder.encode(canonicalJson(a));
      await this.ctx.stub.putState(auditKey(a.at, a.txId), bytes);
      await this.ctx.stub.putState(auditByInstitutionKey(a.institution, a.at, a.txId), bytes);
      await this.ctx.stub.putState(auditByTypeKey(a.type, a.at, a.txId), bytes);
      this.ctx.stub.setEvent(a.type, bytes);
    }
    this.#writes.clear();
  }

  /** All records of a composite-key type (optionally under leading attributes). */
  async byPartialKey<T>(type: string, attributes: string[] = []): Promise<Entry<T>[]> {
    const iterator = await this.ctx.stub.getStateByPartialCompositeKey(type, attributes);
    return drain<T>(iterator);
  }

  /** All plain keys in [start, end). */
  async range<T>(start: string, end: string): Promise<Entry<T>[]> {
    const iterator = await this.ctx.stub.getStateByRange(start, end);
    return drain<T>(iterator);
  }

  /** One page of plain keys in [start, end), at most `pageSize`. Evaluate only on Fabric. */
  async rangePage<T>(start: string, end: string, pageSize: number): Promise<Entry<T>[]> {
    const { iterator } = await this.ctx.stub.getStateByRangeWithPagination(start, end, pageSize, '');
    return drain<T>(iterator);
  }
}

interface KvIterator {
  next(): Promise<{ value?: { key: string; value: Uint8Array }; done?: boolean }>;
  close(): Promise<void>;
}

async function drain<T>(iterator: KvIterator): Promise<Entry<T>[]> {
  const out: Entry<T>[] = [];
  try {
    for (;;) {
      const r = await iterator.next();
      if (r.value && r.value.value && r.value.value.length > 0) {
        out.push({ key: r.value.key, value: JSON.parse(decoder.decode(r.value.value)) as T });
      }
      if (r.done) break;
    }
  } finally {
    await iterator.close();
  }
  return out;
}
