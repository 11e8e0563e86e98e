import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX, AUDIT_TYPES } from '../constants.js';
import { ErrorCode, ccError } from '../errors.js';
import { requireRole } from '../lib/caller.js';
import { RECORD_KINDS, auditPrefix, auditTimeSegment, type AuditIndex, type AuditOrder } from '../lib/keys.js';
import { guardedRead, guardedWrite } from '../lib/run.js';
import type { Tx } from '../lib/tx.js';
import type { AuditRecord, Denial } from '../records.js';
import * as v from '../validate.js';

/** Most index entries one `audit:Events` call scans before returning a cursor. */
const MAX_SCAN = 5000;
const END = '\u{10ffff}';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Longest `audit:Stats` range per bucket size. */
const STATS_MAX_BUCKETS = { hour: 31 * 24, day: 366 } as const;
/** Most refusals one `audit:RecordRefusals` call records. */
const MAX_REFUSALS = 100;

interface EventsQuery {
  institution?: string;
  subject?: string;
  type?: string;
  from?: string;
  to?: string;
  order: AuditOrder;
  limit: number;
  cursor?: string;
}

function parseQuery(text: string): EventsQuery {
  const o = text === '' ? {} : v.parseObject('query', text);
  v.onlyKeys('query', o, ['institution', 'subject', 'type', 'from', 'to', 'order', 'limit', 'cursor']);
  return {
    ...(o.institution !== undefined ? { institution: v.id('institution', o.institution) } : {}),
    ...(o.subject !== undefined ? { subject: v.subjectToken('subject', o.subject) } : {}),
    ...(o.type !== undefined ? { type: v.oneOf('type', o.type, AUDIT_TYPES) } : {}),
    ...(o.from !== undefined ? { from: v.isoTime('from', o.from) } : {}),
    ...(o.to !== undefined ? { to: v.isoTime('to', o.to) } : {}),
    order: o.order === undefined ? 'asc' : v.oneOf('order', o.order, ['asc', 'desc'] as const),
    limit: o.limit === undefined ? AUDIT_PAGE_DEFAULT : v.int('limit', o.limit, 1, AUDIT_PAGE_MAX),
    ...(o.cursor !== undefined ? { cursor: v.text('cursor', o.cursor, 2048) } : {}),
  };
}

/** The most selective index for the query: institution, then subject, then type. */
function indexOf(q: EventsQuery): AuditIndex {
  if (q.institution !== undefined) return { by: 'institution', id: q.institution };
  if (q.subject !== undefined) return { by: 'subject', subjectToken: q.subject };
  if (q.type !== undefined) return { by: 'type', type: q.type };
  return { by: 'all' };
}

/** The [start, end) key range of the query's index, from its cursor when it has one. */
function keyRange(q: EventsQuery): [string, string] {
  const prefix = auditPrefix(indexOf(q), q.order);
  // Oldest-first runs from `from` to `to`; newest-first from `to` to `from`.
  const [low, high] = q.order === 'asc' ? [q.from, q.to] : [q.to, q.from];
  const start = prefix + (low !== undefined ? auditTimeSegment(low, q.order) : '');
  const end = high !== undefined ? `${prefix}${auditTimeSegment(high, q.order)}~${END}` : prefix + END;
  let from = start;
  if (q.cursor !== undefined) {
    const key = Buffer.from(q.cursor, 'base64url').toString('utf8');
    if (key < start || key >= end) throw ccError(ErrorCode.BAD_REQUEST, 'cursor does not belong to this query');
    from = key;
  }
  return [from, end];
}

async function events(tx: Tx, q: EventsQuery): Promise<{ events: AuditRecord[]; cursor?: string }> {
  const [start, end] = keyRange(q);
  const matches = (r: AuditRecord): boolean =>
    (q.type === undefined || r.type === q.type) &&
    (q.institution === undefined || r.parties.includes(q.institution)) &&
    (q.subject === undefined || r.subjectToken === q.subject);
  const out: AuditRecord[] = [];
  const pageSize = Math.min(AUDIT_PAGE_MAX, q.limit + 1);
  let next = start;
  let scanned = 0;
  for (;;) {
    const page = await tx.rangePage<AuditRecord>(next, end, pageSize);
    for (const entry of page) {
      if (out.length === q.limit || scanned === MAX_SCAN) {
        return { events: out, cursor: Buffer.from(entry.key, 'utf8').toString('base64url') };
      }
      scanned += 1;
      if (matches(entry.value)) out.push(entry.value);
      next = `${entry.key}\u0000`;
    }
    if (page.length < pageSize) return { events: out };
  }
}

interface StatsQuery {
  from: string;
  to: string;
  bucket: 'hour' | 'day';
}

function parseStatsQuery(text: string): StatsQuery {
  const o = v.parseObject('query', text);
  v.onlyKeys('query', o, ['from', 'to', 'bucket']);
  const q: StatsQuery = { from: v.isoTime('from', o.from), to: v.isoTime('to', o.to), bucket: v.oneOf('bucket', o.bucket, ['hour', 'day'] as const) };
  const span = Date.parse(q.to) - Date.parse(q.from);
  const size = q.bucket === 'hour' ? HOUR_MS : DAY_MS;
  if (span <= 0) throw ccError(ErrorCode.BAD_REQUEST, 'to must be after from');
  if (span > STATS_MAX_BUCKETS[q.bucket] * size) {
    throw ccError(ErrorCode.BAD_REQUEST, `a ${q.bucket} bucket covers at most ${STATS_MAX_BUCKETS[q.bucket] * size / DAY_MS} days`);
  }
  return q;
}

/** Counts audit records in [from, to) per bucket start (UTC), type and acting institution. */
async function stats(tx: Tx, q: StatsQuery): Promise<{ buckets: { start: string; type: string; institution: string; count: number }[] }> {
  const size = q.bucket === 'hour' ? HOUR_MS : DAY_MS;
  const prefix = auditPrefix({ by: 'all' }, 'asc');
  const end = prefix + q.to;
  const counts = new Map<string, { start: string; type: string; institution: string; count: number }>();
  let next = prefix + q.from;
  for (;;) {
    const page = await tx.rangePage<AuditRecord>(next, end, AUDIT_PAGE_MAX);
    for (const { key, value: r } of page) {
      const start = new Date(Math.floor(Date.parse(r.at) / size) * size).toISOString();
      const id = `${start}~${r.type}~${r.institution}`;
      const bucket = counts.get(id) ?? { start, type: r.type, institution: r.institution, count: 0 };
      bucket.count += 1;
      counts.set(id, bucket);
      next = `${key}\u0000`;
    }
    if (page.length < AUDIT_PAGE_MAX) break;
  }
  const buckets = [...counts.values()].sort((a, b) => cmp(a.start, b.start) || cmp(a.type, b.type) || cmp(a.institution, b.institution));
  return { buckets };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Refusal {
  action: string;
  code: string;
  message: string;
  requester: string;
}

/** Parses a JSON array of 1-100 refusals. @throws CC_BAD_REQUEST */
function parseRefusals(text: string): Refusal[] {
  const list = v.parseJson('refusals', text);
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_REFUSALS) {
    throw ccError(ErrorCode.BAD_REQUEST, `refusals must be an array of 1-${MAX_REFUSALS} refusals`);
  }
  return list.map((item, i) => {
    const field = `refusals[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw ccError(ErrorCode.BAD_REQUEST, `${field} must be an object`);
    const o = item as v.Json;
    v.onlyKeys(field, o, ['action', 'code', 'message', 'requester']);
    return {
      action: v.text(`${field}.action`, o.action, 128),
      code: v.text(`${field}.code`, o.code, 64),
      message: v.text(`${field}.message`, o.message, 1024),
      requester: v.id(`${field}.requester`, o.requester),
    };
  });
}

/** Regulator-only audit reads (evaluate). */
@Info({ title: 'audit', description: 'regulator audit queries' })
export class AuditContract extends Contract {
  constructor() {
    super('audit');
  }

  /**
   * Audit records oldest first (`order: 'desc'`: newest first), filtered by institution (any
   * record naming it as a party), subject token, type and time range [from, to], `limit`
   * (default 100, max 1000) per page; `cursor` is returned while more may remain.
   * @throws CC_FORBIDDEN unless the caller is a regulator; CC_BAD_REQUEST
   */
  @Transaction(false)
  @Returns('string')
  async Events(ctx: Context, query: string): Promise<string> {
    return guardedRead(ctx, async (tx, caller) => {
      const q = parseQuery(query);
      requireRole(caller, ['regulator'], 'audit:Events');
      return events(tx, q);
    });
  }

  /**
   * Counts audit records per bucket (`hour` or `day`, UTC), type and acting institution over
   * [from, to): `{ buckets: [{ start, type, institution, count }] }`; at most 31 days of hours
   * or 366 days.
   * @throws CC_FORBIDDEN unless the caller is a regulator; CC_BAD_REQUEST
   */
  @Transaction(false)
  @Returns('string')
  async Stats(ctx: Context, query: string): Promise<string> {
    return guardedRead(ctx, async (tx, caller) => {
      const q = parseStatsQuery(query);
      requireRole(caller, ['regulator'], 'audit:Stats');
      return stats(tx, q);
    });
  }

  /**
   * Records refusals the caller issued off-ledger (a gateway refusing a role or a suspended
   * member, a provider's connector refusing a transfer), so the regulator sees them:
   * `refusals` is a JSON array of 1-100 `{ action, code, message, requester }`, `requester`
   * being the refused institution. Any active member may record refusals about another;
   * each gets a denial record and a `denied` audit record attributed to the requester, with
   * `recordedBy` naming the caller. Returns `{ recorded, txId }`.
   * @throws CC_BAD_REQUEST; CC_UNKNOWN_CALLER
   */
  @Transaction()
  @Returns('string')
  async RecordRefusals(ctx: Context, refusals: string): Promise<string> {
    const list = parseRefusals(refusals);
    return guardedWrite(ctx, 'audit:RecordRefusals', async (tx, caller) => {
      list.forEach(({ action, code, message, requester }, i) => {
        const denial: Denial = { txId: tx.txId, institution: requester, action, code, message, at: tx.nowIso };
        tx.put(tx.recordKey('denial', `${tx.txId}.${String(i).padStart(3, '0')}`), { ...denial, recordedBy: caller.id });
        tx.audit('denied', requester, { action, code, message, recordedBy: caller.id });
      });
      return { recorded: list.length, txId: tx.txId };
    });
  }

  /**
   * Every committed version of a record: `[{ txId, at, isDelete, value }]`, oldest first.
   * @throws CC_FORBIDDEN unless the caller is a regulator; CC_BAD_REQUEST
   */
  @Transaction(false)
  @Returns('string')
  async History(ctx: Context, kind: string, id: string): Promise<string> {
    return guardedRead(ctx, async (tx, caller) => {
      const k = v.oneOf('kind', kind, RECORD_KINDS);
      const recordId = k === 'subject' ? v.subjectToken('id', id) : v.id('id', id);
      requireRole(caller, ['regulator'], 'audit:History');
      const iterator = await tx.ctx.stub.getHistoryForKey(tx.recordKey(k, recordId));
      const out: { txId: string; at: string; isDelete: boolean; value: unknown }[] = [];
      try {
        for (;;) {
          const r = await iterator.next();
          if (r.value) {
            const m = r.value;
            const ms = Number(String(m.timestamp.seconds)) * 1000 + Math.floor(Number(m.timestamp.nanos ?? 0) / 1e6);
            const text = m.value && m.value.length > 0 ? new TextDecoder().decode(m.value) : '';
            out.push({ txId: m.txId, at: new Date(ms).toISOString(), isDelete: m.isDelete, value: text === '' ? null : (JSON.parse(text) as unknown) });
          }
          if (r.done) break;
        }
      } finally {
        await iterator.close();
      }
      return out;
    });
  }
}
