import { createHash } from 'node:crypto';
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { canonicalJson } from '../canonical-json.js';
import { CHECK_PURPOSES, CHECK_RESULT_TTL_MS, CHECK_WINDOWS_DAYS, LENDER_ROLES, LENDING_ATTRIBUTE_KINDS, LENDING_EVENT_TYPES, MAX_LENDING_BATCH } from '../constants.js';
import { ErrorCode, ccError } from '../errors.js';
import { requireRole } from '../lib/caller.js';
import { assertConsentAllows } from '../lib/consent-validity.js';
import { LENDING_BATCH, lendingKey } from '../lib/keys.js';
import { LendingAggregates, lenderTypeOf, lendingDayRange, lendingSummaryRange, utcDay, type LendingDay, type LendingSummary } from '../lib/lending-aggregates.js';
import { computeCheckResult } from '../lib/multi-lending.js';
import { guardedRead, guardedWrite } from '../lib/run.js';
import { notFound, type Tx } from '../lib/tx.js';
import { consentProductOfKind } from '../lib/product-status.js';
import type { CheckRequest, Consent, LendingBatch, LendingEvent } from '../records.js';
import * as v from '../validate.js';

/** Events may be dated at most this far after the transaction time (clock skew). */
const MAX_FUTURE_MS = 5 * 60 * 1000;
/** Events may be dated at most this far before the transaction time. */
const MAX_PAST_YEARS = 10;
const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

type EventInput = Pick<LendingEvent, 'subjectToken' | 'type' | 'amount' | 'occurredAt' | 'attributes'>;

/** An application's blinded attributes: known kinds only, each `0x` + 64 lowercase hex. @throws CC_BAD_REQUEST */
function parseAttributes(field: string, type: string, value: unknown): LendingEvent['attributes'] {
  if (type !== 'application') throw ccError(ErrorCode.BAD_REQUEST, `${field} is allowed on application events only`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw ccError(ErrorCode.BAD_REQUEST, `${field} must be an object`);
  const o = value as v.Json;
  v.onlyKeys(field, o, LENDING_ATTRIBUTE_KINDS);
  const out: NonNullable<LendingEvent['attributes']> = {};
  for (const kind of LENDING_ATTRIBUTE_KINDS) {
    if (o[kind] !== undefined) out[kind] = v.subjectToken(`${field}.${kind}`, o[kind]);
  }
  if (Object.keys(out).length === 0) throw ccError(ErrorCode.BAD_REQUEST, `${field} must name at least one attribute`);
  return out;
}

/** Parses the events array (shape only; dates are checked against the tx time later). @throws CC_BAD_REQUEST */
function parseEvents(text: string): { raw: unknown; events: EventInput[] } {
  const raw = v.parseJson('events', text);
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_LENDING_BATCH) {
    throw ccError(ErrorCode.BAD_REQUEST, `events must be an array of 1-${MAX_LENDING_BATCH} events`);
  }
  const events = raw.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw ccError(ErrorCode.BAD_REQUEST, `events[${i}] must be an object`);
    const o = item as v.Json;
    v.onlyKeys(`events[${i}]`, o, ['subjectToken', 'type', 'amount', 'occurredAt', 'attributes']);
    const type = v.oneOf(`events[${i}].type`, o.type, LENDING_EVENT_TYPES);
    return {
      subjectToken: v.subjectToken(`events[${i}].subjectToken`, o.subjectToken),
      type,
      ...(o.amount !== undefined ? { amount: v.int(`events[${i}].amount`, o.amount, 0, Number.MAX_SAFE_INTEGER) } : {}),
      occurredAt: v.isoTime(`events[${i}].occurredAt`, o.occurredAt),
      ...(o.attributes !== undefined ? { attributes: parseAttributes(`events[${i}].attributes`, type, o.attributes) } : {}),
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
 * Applies the events, in array order, to the caller's state with each subject (read once per
 * subject, buffered back) and to the subject's aggregates: `loan` and `rejected` close one open
 * application, `repayment` and `overdue` need an open loan, `settled` closes one.
 * @throws CC_LENDING_SEQUENCE at the first event that does not follow.
 */
async function applyLifecycle(aggregates: LendingAggregates, lender: string, events: readonly EventInput[]): Promise<void> {
  for (const [i, e] of events.entries()) {
    const state = await aggregates.summary(e.subjectToken);
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
    await aggregates.add(e);
  }
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
      const aggregates = new LendingAggregates(tx, caller.id, lenderTypeOf(caller.roles));
      await applyLifecycle(aggregates, caller.id, list);
      list.forEach((e, index) => {
        const event: LendingEvent = { ...e, institution: caller.id, txId: tx.txId, index, batchId };
        tx.put(lendingKey(e.subjectToken, e.occurredAt, tx.txId, index), event);
      });
      aggregates.write();
      const batch: LendingBatch = { batchId, institution: caller.id, eventsHash, txId: tx.txId, accepted: list.length, recordedAt: tx.nowIso };
      tx.put(batchKey, batch);
      const subjects = [...new Set(list.map((e) => e.subjectToken))];
      tx.audit('lending_events_recorded', caller.id, { count: list.length, batchId, ...(subjects.length === 1 ? { subjectToken: subjects[0] } : {}) });
      return { accepted: list.length, batchId, txId: tx.txId, replayed: false };
    });
  }

  /**
   * Records a multi-lending check request; needs a valid consent naming the caller for
   * `pre_loan`, `in_loan`, `post_loan` or `guarantee` and covering an active product of kind
   * `check`; the purpose is recorded with the check. The same request again (same checkId,
   * caller, subject and consent) records nothing and answers the first (`replayed: true`,
   * the first txId), even if the consent has ended since; another request under a used
   * checkId is CC_CONFLICT. The result is read with GetCheckResult.
   * @throws CC_BAD_REQUEST; denied with CC_FORBIDDEN, CC_CONFLICT, CC_CONSENT_*, CC_PRODUCT_INACTIVE
   */
  @Transaction()
  @Returns('string')
  async RequestCheck(ctx: Context, checkId: string, subjectToken: string, consentId: string): Promise<string> {
    return guardedWrite(ctx, 'lending:RequestCheck', async (tx, caller) => {
      const id = v.id('checkId', checkId);
      const token = v.subjectToken('subjectToken', subjectToken);
      const consentRef = v.id('consentId', consentId);
      requireRole(caller, LENDER_ROLES, 'lending:RequestCheck');
      const first = await tx.record<CheckRequest>('check', id);
      if (first) {
        if (first.requester !== caller.id || first.subjectToken !== token || first.consentId !== consentRef) {
          throw ccError(ErrorCode.CONFLICT, `check ${id} exists`);
        }
        return { checkId: id, requestedAt: first.requestedAt, purpose: first.purpose ?? 'pre_loan', txId: first.txId, replayed: true };
      }
      const consent = await tx.mustRecord<Consent>('consent', consentRef, ErrorCode.CONSENT_NOT_FOUND);
      if (!CHECK_PURPOSES.includes(consent.purpose)) {
        throw ccError(ErrorCode.CONSENT_PURPOSE_MISMATCH, `consent ${consentRef} is for ${consent.purpose}, not a lending purpose`);
      }
      assertConsentAllows(consent, { grantee: caller.id, purpose: consent.purpose, atMs: tx.nowMs, subjectToken: token });
      const productId = (await consentProductOfKind(tx, consent, 'check')).id;
      const purpose = consent.purpose;
      const request: CheckRequest = { checkId: id, requester: caller.id, subjectToken: token, consentId: consentRef, productId, purpose, requestedAt: tx.nowIso, txId: tx.txId };
      tx.put(tx.recordKey('check', id), request);
      tx.audit('multilending_checked', caller.id, { checkId: id, consentId: consentRef, productId, purpose, requester: caller.id, subjectToken: token });
      return { checkId: id, requestedAt: tx.nowIso, purpose, txId: tx.txId, replayed: false };
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
      // O(windows): the day buckets of the longest window and one summary per lender.
      const at = Date.parse(request.requestedAt);
      const longest = Math.max(...CHECK_WINDOWS_DAYS);
      const [dayStart, dayEnd] = lendingDayRange(request.subjectToken, utcDay(at - longest * DAY_MS), utcDay(at));
      const days = (await tx.range<LendingDay>(dayStart, dayEnd)).map((e) => e.value);
      const [sumStart, sumEnd] = lendingSummaryRange(request.subjectToken);
      const summaries = (await tx.range<LendingSummary>(sumStart, sumEnd)).map((e) => e.value);
      return computeCheckResult(request, days, summaries);
    });
  }
}
