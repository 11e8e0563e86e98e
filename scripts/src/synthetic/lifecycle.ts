/**
 * The chaincode's lending lifecycle (lending:Record), for the synthetic data and the demo:
 * per (lender, enterprise), in order, a `loan` or `rejected` closes one open `application`,
 * `repayment` and `overdue` need an open `loan`, `settled` closes one; and every event is
 * dated within [as of − 10 years, as of]. The demo replays each lender's history in batches
 * that never split one enterprise's events, so concurrent batches keep that order.
 */
import type { LendingEventType } from '@xinlian/chaincode';

/** Events older than this are refused by the chaincode. */
export const MAX_EVENT_AGE_YEARS = 10;

export interface LifecycleEvent {
  readonly uscc: string;
  readonly lenderId: string;
  readonly type: LendingEventType;
  readonly occurredAt: string;
}

/**
 * Why `events` (in the order they would be recorded) break the lifecycle, one line per
 * offending event; empty when they follow it. Never throws.
 */
export function lifecycleViolations(events: Iterable<LifecycleEvent>, asOfMs: number): string[] {
  const earliest = new Date(asOfMs);
  earliest.setUTCFullYear(earliest.getUTCFullYear() - MAX_EVENT_AGE_YEARS);
  const open = new Map<string, { applications: number; loans: number }>();
  const out: string[] = [];
  let i = 0;
  for (const e of events) {
    const where = `event ${i++} (${e.type} of ${e.lenderId} for ${e.uscc} at ${e.occurredAt})`;
    const at = Date.parse(e.occurredAt);
    if (!(at >= earliest.getTime() && at <= asOfMs)) out.push(`${where}: outside the last ${MAX_EVENT_AGE_YEARS} years`);
    const key = `${e.lenderId}\n${e.uscc}`;
    const s = open.get(key) ?? { applications: 0, loans: 0 };
    open.set(key, s);
    switch (e.type) {
      case 'application':
        s.applications++;
        break;
      case 'loan':
      case 'rejected':
        if (s.applications === 0) out.push(`${where}: no open application`);
        else s.applications--;
        if (e.type === 'loan') s.loans++;
        break;
      case 'repayment':
      case 'overdue':
        if (s.loans === 0) out.push(`${where}: no open loan`);
        break;
      case 'settled':
        if (s.loans === 0) out.push(`${where}: no open loan`);
        else s.loans--;
        break;
    }
  }
  return out;
}

/**
 * Groups a stream of events (enterprise by enterprise, as exportLendingEvents yields them)
 * into batches of at most `max`, never splitting one enterprise's events across batches, so
 * batches sent concurrently never race on one (lender, enterprise) lifecycle.
 *
 * @throws RangeError when one enterprise alone has more than `max` events.
 */
export async function* batchesByEnterprise<T extends { readonly uscc: string }>(events: AsyncIterable<T>, max: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  let current: T[] = [];
  const close = function* (): Generator<T[]> {
    if (current.length > max) throw new RangeError(`enterprise ${current[0]!.uscc} has ${current.length} events, more than a batch of ${max}`);
    if (batch.length + current.length > max) {
      yield batch;
      batch = [];
    }
    batch.push(...current);
    current = [];
  };
  for await (const e of events) {
    if (current.length > 0 && current[0]!.uscc !== e.uscc) yield* close();
    current.push(e);
  }
  yield* close();
  if (batch.length > 0) yield batch;
}
