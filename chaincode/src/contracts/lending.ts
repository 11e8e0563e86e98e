import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { CHECK_RESULT_TTL_MS, LENDER_ROLES, LENDING_EVENT_TYPES, MAX_LENDING_BATCH } from '../constants.js';
import { ErrorCode, ccError } from '../errors.js';
import { requireRole } from '../lib/caller.js';
import { requireConsent } from '../lib/consent-validity.js';
import { lendingKey, lendingRange } from '../lib/keys.js';
import { computeCheckResult } from '../lib/multi-lending.js';
import { guardedRead, guardedWrite } from '../lib/run.js';
import type { CheckRequest, LendingEvent, Product } from '../records.js';
import * as v from '../validate.js';

/** Events may be dated at most this far after the transaction time (clock skew). */
const MAX_FUTURE_MS = 5 * 60 * 1000;

type EventInput = Pick<LendingEvent, 'subjectToken' | 'type' | 'amount' | 'occurredAt'>;

/** Parses the events array. @throws CC_BAD_REQUEST */
function parseEvents(text: string, nowMs: number): EventInput[] {
  const list = v.parseJson('events', text);
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_LENDING_BATCH) {
    throw ccError(ErrorCode.BAD_REQUEST, `events must be an array of 1-${MAX_LENDING_BATCH} events`);
  }
  return list.map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw ccError(ErrorCode.BAD_REQUEST, `events[${i}] must be an object`);
    const o = item as v.Json;
    v.onlyKeys(`events[${i}]`, o, ['subjectToken', 'type', 'amount', 'occurredAt']);
    const occurredAt = v.isoTime(`events[${i}].occurredAt`, o.occurredAt);
    if (Date.parse(occurredAt) > nowMs + MAX_FUTURE_MS) throw ccError(ErrorCode.BAD_REQUEST, `events[${i}].occurredAt is in the future`);
    return {
      subjectToken: v.subjectToken(`events[${i}].subjectToken`, o.subjectToken),
      type: v.oneOf(`events[${i}].type`, o.type, LENDING_EVENT_TYPES),
      ...(o.amount !== undefined ? { amount: v.int(`events[${i}].amount`, o.amount, 0, Number.MAX_SAFE_INTEGER) } : {}),
      occurredAt,
    };
  });
}

/** Lending events and multi-lending checks. */
@Info({ title: 'lending', description: 'lending events and multi-lending checks' })
export class LendingContract extends Contract {
  constructor() {
    super('lending');
  }

  /** A lender records a batch of events (all or nothing); each event gets its own key. */
  @Transaction()
  @Returns('string')
  async Record(ctx: Context, events: string): Promise<string> {
    return guardedWrite(ctx, 'lending:Record', async (tx, caller) => {
      const list = parseEvents(events, tx.nowMs);
      requireRole(caller, LENDER_ROLES, 'lending:Record');
      list.forEach((e, index) => {
        const event: LendingEvent = { ...e, institution: caller.id, txId: tx.txId, index };
        tx.put(lendingKey(e.subjectToken, e.occurredAt, tx.txId, index), event);
      });
      tx.audit('lending_events_recorded', caller.id, { count: list.length, batchId: tx.txId });
      return { accepted: list.length, batchId: tx.txId };
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
      for (const p of consent.products) {
        const product = await tx.record<Product>('product', p);
        if (product && product.kind === 'check' && product.status === 'active') {
          productId = p;
          break;
        }
      }
      if (productId === undefined) throw ccError(ErrorCode.CONSENT_PRODUCT_MISMATCH, `consent ${consentRef} covers no active check product`);
      const request: CheckRequest = { checkId: id, requester: caller.id, subjectToken: token, consentId: consentRef, productId, requestedAt: tx.nowIso, txId: tx.txId };
      tx.put(tx.recordKey('check', id), request);
      tx.audit('multilending_checked', caller.id, { checkId: id, consentId: consentRef, productId });
      return { checkId: id, requestedAt: tx.nowIso };
    });
  }

  /**
   * The requester reads the result of its committed check request, within 15 minutes of it.
   * @throws CC_NOT_FOUND, CC_FORBIDDEN (not the requester), CC_CHECK_EXPIRED
   */
  @Transaction(false)
  @Returns('string')
  async GetCheckResult(ctx: Context, checkId: string): Promise<string> {
    return guardedRead(ctx, async (tx, caller) => {
      const request = await tx.mustRecord<CheckRequest>('check', v.id('checkId', checkId));
      if (request.requester !== caller.id) throw ccError(ErrorCode.FORBIDDEN, `check ${request.checkId} belongs to another institution`);
      if (tx.nowMs - Date.parse(request.requestedAt) >= CHECK_RESULT_TTL_MS) {
        throw ccError(ErrorCode.CHECK_EXPIRED, `check ${request.checkId} was requested at ${request.requestedAt}`);
      }
      const [start, end] = lendingRange(request.subjectToken);
      const events = (await tx.range<LendingEvent>(start, end)).map((e) => e.value);
      return computeCheckResult(request, events);
    });
  }
}
