import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX, AUDIT_TYPES } from '../constants.js';
import { ErrorCode, ccError } from '../errors.js';
import { requireRole } from '../lib/caller.js';
import { RECORD_KINDS } from '../lib/keys.js';
import { guardedRead, guardedWrite } from '../lib/run.js';
import type { Tx } from '../lib/tx.js';
import type { AuditRecord, Denial } from '../records.js';
import * as v from '../validate.js';

/** Most index entries one `audit:Events` call scans before returning a cursor. */
const MAX_SCAN = 5000;
const END = '\u{10ffff}';

interface EventsQuery {
  institution?: string;
  type?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

function parseQuery(text: string): EventsQuery {
  const o = text === '' ? {} : v.parseObject('query', text);
  v.onlyKeys('query', o, ['institution', 'type', 'from', 'to', 'limit', 'cursor']);
  return {
    ...(o.institution !== undefined ? { institution: v.id('institution', o.institution) } : {}),
    ...(o.type !== undefined ? { type: v.oneOf('type', o.type, AUDIT_TYPES) } : {}),
    ...(o.from !== undefined ? { from: v.isoTime('from', o.from) } : {}),
    ...(o.to !== undefined ? { to: v.isoTime('to', o.to) } : {}),
    limit: o.limit === undefined ? AUDIT_PAGE_DEFAULT : v.int('limit', o.limit, 1, AUDIT_PAGE_MAX),
    ...(o.cursor !== undefined ? { cursor: v.text('cursor', o.cursor, 2048) } : {}),
  };
}

/** The [start, end) key range of the most selective index for the query. */
function keyRange(q: EventsQuery): [string, string] {
  const prefix = q.institution !== undefined ? `audit-inst~${q.institution}~` : q.type !== undefined ? `audit-type~${q.type}~` : 'audit~';
  const start = prefix + (q.from ?? '');
  const end = q.to !== undefined ? `${prefix}${q.to}~${END}` : prefix + END;
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
    (q.type === undefined || r.type === q.type) && (q.institution === undefined || r.institution === q.institution);
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

/** Regulator-only audit reads (evaluate). */
@Info({ title: 'audit', description: 'regulator audit queries' })
export class AuditContract extends Contract {
  constructor() {
    super('audit');
  }

  /**
   * Audit records oldest first, filtered by institution, type and time range [from, to],
   * `limit` (default 100, max 1000) per page; `cursor` is returned while more may remain.
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
   * Records a refusal the caller issued off-ledger (a provider's connector refusing a
   * transfer or a negotiation), so the regulator sees it: `refusal` is
   * `{ action, code, message, requester }` where `requester` is the refused institution.
   * Writes a denial record and a `denied` audit record attributed to the requester, with
   * `recordedBy` naming the caller.
   * @throws CC_BAD_REQUEST; CC_UNKNOWN_CALLER
   */
  @Transaction()
  @Returns('string')
  async RecordRefusal(ctx: Context, refusal: string): Promise<string> {
    const o = v.parseObject('refusal', refusal);
    v.onlyKeys('refusal', o, ['action', 'code', 'message', 'requester']);
    const action = v.text('action', o.action, 128);
    const code = v.text('code', o.code, 64);
    const message = v.text('message', o.message, 1024);
    const requester = v.id('requester', o.requester);
    return guardedWrite(ctx, 'audit:RecordRefusal', async (tx, caller) => {
      const denial: Denial = { txId: tx.txId, institution: requester, action, code, message, at: tx.nowIso };
      tx.put(tx.recordKey('denial', tx.txId), { ...denial, recordedBy: caller.id });
      tx.audit('denied', requester, { action, code, message, recordedBy: caller.id });
      return { recorded: true, txId: tx.txId };
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
