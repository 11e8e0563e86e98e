import { createHash } from 'node:crypto';
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { canonicalJson } from '../canonical-json.js';
import { CHECK_RESULT_TTL_MS, LENDER_ROLES, LENDING_EVENT_TYPES, MAX_LENDING_BATCH } from '../constants.js';
import { ErrorCode, ccError } from '../errors.js';
import { requireRole } from '../lib/caller.js';
import { requireConsent } from '../lib/consent-validity.js';
import { LENDING_BATCH, LENDING_STATE, lendingKey, lendingRange } from '../lib/keys.js';
import { computeCheckResult } from '../lib/multi-lending.js';
import { guardedRead, guardedWrite } from '../lib/run.js';
import { notFound, type Tx } from '../lib/tx.js';
import { productStatus, requireActiveProduct } from '../lib/product-status.js';
import type { CheckRequest, LendingBatch, LendingEvent, LendingState, Product } from '../records.js';
import * as v from '../validate.js';

/** Events may be dated at most this far after the transaction time (clock skew). */
const MAX_FUTURE_MS = 5 * 60 * 1000;
/** Events may be dated at most this far before the transaction time. */
const MAX_PAST_YEARS = 10;
const BATCH_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

type EventInput = Pick<LendingEvent, 'subjectToken' | 'type' | 'amount' | 'occurredAt'>;

/** Parses the events array (shape only; dates are checked against the tx time later). @throws CC_BAD_REQUEST */
function parseEvents(text: string): { raw: unknown; events: EventInput[] } {
  const raw = v.parseJson('events', text);
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_LENDING_BATCH) {
    throw ccError(ErrorCode.BAD_REQUEST, `events must be an array of 1-${MAX_LENDING_BATCH} events`);
  }
  const events = raw.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw ccError(ErrorCode.BAD_REQUEST, `events[${i}] must be an object`);
    const o = item as v.Json;
    v.onlyKeys(`events[${i}]`, o, ['subjectToken', 'type', 'amount', 'occurredAt']);
    return {
      subjectToken: v.subjectToken(`events[${i}].subjectToken`, o.subjectToken),
      type: v.oneOf(`events[${i}].type`, o.type, LENDING_EVENT_TYPES),
      ...(o.amount !== undefined ? { amount: v.int(`events[${i}].amount`, o.amount, 0, Number.MAX_SAFE_INTEGER) } : {}),
      occurredAt: v.isoTime(`events[${i}].occurredAt`, o.occurredAt),
    };
  });
  return { raw, events };
}

/** `occurredAt` must lie in [tx time − 10 years, tx time + 5 minutes]. @throws CC_BAD_REQUEST */
function checkDates(events: readonly EventInput[], tx: Tx): void {
  const earliest = new Date(tx.nowMs);
  earliest.setUTCFullYear(earliest.getUTCFullYear() - MAX_PAST_YEARS);
  events.forEach((e, i) => {
    const at = Date.parse(e.occurredAt);
    if (at > tx.nowMs + MAX_FUTURE_MS) throw ccError(ErrorCode.BAD_REQUEST, `events[${i}].occurredAt is in the future`);
    if (at < earliest.getTime()) throw ccError(ErrorCode.BAD_REQUEST, `events[${i}].occurredAt is more than ${MAX_PAST_YEARS} years ago`);
  });
}

/**
 * Applies the events, in array order, to the caller's lifecycle state with each subject
 * (read once per subject, buffered back): `loan` and `rejected` close one open application,
 * `repayment` and `overdue` need an open loan, `settled` closes one. Returns the new states.
 * @throws CC_LENDING_SEQUENCE at the first event that does not follow.
 */
async function applyLifecycle(tx: Tx, lender: string, events: readonly EventInput[]): Promise<Map<string, LendingState>> {
  const states = new Map<string, LendingState>();
  for (const [i, e] of events.entries()) {
    let state = states.get(e.subjectToken);
    if (!state) {
      state = (await tx.get<LendingState>(tx.key(LENDING_STATE, [lender, e.subjectToken]))) ?? {
        lender,
        subjectToken: e.subjectToken,
        openApplications: 0,
        openLoans: 0,
        updatedAt: tx.nowIso,
      };
      states.set(e.subjectToken, state);
    }
    const refuse = (needs: string): never => {
      throw ccError(ErrorCode.LENDING_SEQUENCE, `events[${i}] ${e.type} needs ${needs} of ${lender} for subject ${e.subjectToken}`);
    };
    switch (e.type) {
      case 'application':
        state.openApplications += 1;
        break;
      case 'loan':
      case 'rejected':
        if (state.openApplications === 0) refuse('an open application');
        state.openApplications -= 1;
        if (e.type === 'loan') state.openLoans += 1;
        break;
      case 'repayment':
      case 'overdue':
        if (state.openLoans === 0) refuse('an open loan');
        break;
      case 'settled':
        if (state.openLoans === 0) refuse('an open loan');
        state.openLoans -= 1;
        break;
    }
    state.updatedAt = tx.nowIso;
  }
  return states;
}

function sha256Hex(text: string): string {
  return `0x${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/** Lending events and multi-lending checks. */
@Info({ title: 'lending', description: 'lending events and multi-lending checks' })
export class LendingContract extends Contract {
  constructor() {
    super('lending');
  }

  /**
   * A lender records a batch of events (all or nothing) under its own `batchId`; each event
   * gets its own key. The same batch again (same caller, id and events) records nothing and
   * answers the first result with `replayed: true`; other events under a used id are refused
   * with CC_CONFLICT. Replays are decided before the date and lifecycle checks.
   * @throws CC_BAD_REQUEST; denied with CC_FORBIDDEN, CC_CONFLICT, CC_LENDING_SEQUENCE
   */
  @Transaction()
  @Returns('string')
  async Record(ctx: Context, batchId: string, events: string): Promise<string> {
    if (typeof batchId !== 'string' || !BATCH_ID_PATTERN.test(batchId)) {
      throw ccError(ErrorCode.BAD_REQUEST, 'batchId must be 1-128 characters of [A-Za-z0-9_.:-]');
    }
    const { raw, events: list } = parseEvents(events);
    const eventsHash = sha256Hex(canonicalJson(raw));
    return guardedWrite(ctx, 'lending:Record', async (tx, caller) => {
      requireRole(caller, LENDER_ROLES, 'lending:Record');
      const batchKey = tx.key(LENDING_BATCH, [caller.id, batchId]);
      const first = await tx.get<LendingBatch>(batchKey);
      if (first) {
        if (first.eventsHash !== eventsHash) throw ccError(ErrorCode.CONFLICT, `batch ${batchId} was recorded with other events`);
        return { accepted: first.accepted, batchId, txId: first.txId, replayed: true };
      }
      checkDates(list, tx);
      const states = await applyLifecycle(tx, caller.id, list);
      list.forEach((e, index) => {
        const event: LendingEvent = { ...e, institution: caller.id, txId: tx.txId, index, batchId };
        tx.put(lendingKey(e.subjectToken, e.occurredAt, tx.txId, index), event);
      });
      for (const state of states.values()) tx.put(tx.key(LENDING_STATE, [caller.id, state.subjectToken]), state);
      const batch: LendingBatch = { batchId, institution: caller.id, eventsHash, txId: tx.txId, accepted: list.length, recordedAt: tx.nowIso };
      tx.put(batchKey, batch);
      const subjects = [...states.keys()];
      tx.audit('lending_events_recorded', caller.id, { count: list.length, batchId, ...(subjects.length === 1 ? { subjectToken: subjects[0] } : {}) });
      return { accepted: list.length, batchId, txId: tx.txId, replayed: false };
    });
  }

  /**
   * Records a multi-lending check request; needs a valid pre_loan consent naming the caller
   * and covering an active product of kind `check`. The result is read with GetCheckResult.
   */
  @Transaction()
  @Returns('string')
  async RequestCheck(ctx: Context, checkId: string, subjectToken: string, consentId: string): Promise<string> {
    return guardedWrite(ctx, 'lending:RequestCheck', async (tx, caller) => {
      const id = v.id('checkId', checkId);
      const token = v.subjectToken('subjectToken', subjectToken);
      const consentRef = v.id('consentId', consentId);
      requireRole(caller, LENDER_ROLES, 'lending:RequestCheck');
      if (await tx.record('check', id)) throw ccError(ErrorCode.CONFLICT, `check ${id} exists`);
      const consent = await requireConsent(tx, consentRef, { grantee: caller.id, purpose: 'pre_loan', atMs: tx.nowMs, subjectToken: token });
      let productId: string | undefined;
      let inactive: Product | undefined;
      for (const p of consent.products) {
        const product = await tx.record<Product>('product', p);
        if (!product || product.kind !== 'check') continue;
        if ((await productStatus(tx, product)) === 'active') {
          productId = p;
          break;
        }
        inactive ??= product;
      }
      if (productId === undefined && inactive) await requireActiveProduct(tx, inactive);
      if (productId === undefined) throw ccError(ErrorCode.CONSENT_PRODUCT_MISMATCH, `consent ${consentRef} covers no check product`);
      const request: CheckRequest = { checkId: id, requester: caller.id, subjectToken: token, consentId: consentRef, productId, requestedAt: tx.nowIso, txId: tx.txId };
      tx.put(tx.recordKey('check', id), request);
      tx.audit('multilending_checked', caller.id, { checkId: id, consentId: consentRef, productId, requester: caller.id, subjectToken: token });
      return { checkId: id, requestedAt: tx.nowIso };
    });
  }

  /**
   * The requester reads the result of its committed check request, within 15 minutes of it.
   * @throws CC_NOT_FOUND (also to anyone but the requester), CC_CHECK_EXPIRED
   */
  @Transaction(false)
  @Returns('string')
  async GetCheckResult(ctx: Context, checkId: string): Promise<string> {
    return guardedRead(ctx, async (tx, caller) => {
      const id = v.id('checkId', checkId);
      const request = await tx.record<CheckRequest>('check', id);
      // Another institution's check is answered as if it did not exist.
      if (!request || request.requester !== caller.id) throw notFound('check', id);
      if (tx.nowMs - Date.parse(request.requestedAt) >= CHECK_RESULT_TTL_MS) {
        throw ccError(ErrorCode.CHECK_EXPIRED, `check ${request.checkId} was requested at ${request.requestedAt}`);
      }
      const [start, end] = lendingRange(request.subjectToken);
      const events = (await tx.range<LendingEvent>(start, end)).map((e) => e.value);
      return computeCheckResult(request, events);
    });
  }
}
