import type { Context } from 'fabric-contract-api';
import { canonicalJson } from '../canonical-json.js';
import { ErrorCode, ccError } from '../errors.js';
import type { AuditRecord } from '../records.js';
import type { AuditType } from '../constants.js';
import { auditKey, type AuditIndex, type RecordKind } from './keys.js';

const encoder = new TextEncoder();

/** Detail members that name an institution taking part in the change. */
const PARTY_FIELDS = ['provider', 'consumer', 'grantee', 'requester', 'recordedBy'] as const;

/** Extra index entries of an audit record beyond what its details name. */
export interface AuditExtras {
  /** More institutions the record concerns (e.g. the consumers of contracts a delisting ended). */
  readonly parties?: readonly string[];
}
const decoder = new TextDecoder();

/**
 * The refusal for an absent record — also what a scoped read answers a caller the record is
 * not for, so the two cannot be told apart.
 */
export function notFound(kind: RecordKind, id: string, code: ErrorCode = ErrorCode.NOT_FOUND): Error {
  return ccError(code, `${kind} ${id} not found`);
}

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
  #audits: AuditRecord[] = [];

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
    if (v === undefined) throw notFound(kind, id, code);
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

  /**
   * Adds an audit record of the transaction (one per committed change; a batch of refusals
   * adds one each). Its `parties` are the acting institution, every institution a detail
   * names (`provider`, `consumer`, `grantee`, `requester`, `recordedBy`) and `extras.parties`;
   * a `subjectToken` detail makes it concern that one enterprise.
   */
  audit(type: AuditType, institution: string, details: Record<string, unknown> = {}, extras: AuditExtras = {}): AuditRecord {
    const parties = new Set<string>([institution, ...(extras.parties ?? [])]);
    for (const f of PARTY_FIELDS) if (typeof details[f] === 'string') parties.add(details[f]);
    const record: AuditRecord = { ...details, txId: this.txId, type, institution, at: this.nowIso, parties: [...parties].sort() };
    this.#audits.push(record);
    return record;
  }

  /** Drops buffered writes and audit records. */
  discard(): void {
    this.#writes.clear();
    this.#audits = [];
  }

  /**
   * Writes the buffered state, then each audit record under every index (all, type, each
   * party, its subject), oldest-first and newest-first, and sets the event: the audit record
   * itself, or for several `{ type, txId, at, institution, count, records }`.
   */
  async commit(): Promise<void> {
    for (const [key, value] of this.#writes) {
      if (value === null) await this.ctx.stub.deleteState(key);
      else await this.ctx.stub.putState(key, value);
    }
    const audits = this.#audits;
    for (const [seq, a] of audits.entries()) {
      const bytes = encoder.encode(canonicalJson(a));
      const indexes: AuditIndex[] = [{ by: 'all' }, { by: 'type', type: a.type }, ...a.parties.map((id) => ({ by: 'institution', id }) as const)];
      if (typeof a.subjectToken === 'string') indexes.push({ by: 'subject', subjectToken: a.subjectToken });
      for (const index of indexes) {
        await this.ctx.stub.putState(auditKey(index, 'asc', a.at, a.txId, seq), bytes);
        await this.ctx.stub.putState(auditKey(index, 'desc', a.at, a.txId, seq), bytes);
      }
    }
    const first = audits[0];
    if (first && audits.length === 1) this.ctx.stub.setEvent(first.type, encoder.encode(canonicalJson(first)));
    else if (first) {
      const batch = { type: first.type, txId: this.txId, at: this.nowIso, institution: first.recordedBy ?? first.institution, count: audits.length, records: audits };
      this.ctx.stub.setEvent(first.type, encoder.encode(canonicalJson(batch)));
    }
    this.#writes.clear();
    this.#audits = [];
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
