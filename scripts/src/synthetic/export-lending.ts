import type { EnterpriseRecord, LendingEventType } from '@xinlian/connector';
import type { ConnectorStore } from '@xinlian/connector';

/** A lending event keyed by USCC and lender, ready to replay through `lending:Record` (after blinding). */
export interface LendingEvent {
  readonly uscc: string;
  readonly lenderId: string;
  readonly type: LendingEventType;
  readonly amount?: number;
  /** ISO-8601 UTC */
  readonly occurredAt: string;
}

/** The lending events of one enterprise, optionally of one lender, in time order. Never throws. */
export function lendingEventsOf(record: EnterpriseRecord, lenderId?: string): LendingEvent[] {
  return record.lending
    .filter((e) => lenderId === undefined || e.lenderId === lenderId)
    .map((e) => ({ uscc: record.uscc, ...e }));
}

/**
 * Streams every enterprise's lending events (of one lender when `lenderId` is given),
 * enterprise by enterprise in USCC order, each enterprise's events in time order.
 * The demo blinds `uscc` into a subject token and submits each lender's events as that lender.
 * @throws ConnectorError `CONN_STORE_UNAVAILABLE` when the store fails.
 */
export async function* exportLendingEvents(
  store: Pick<ConnectorStore, 'enterprises'>,
  options: { readonly lenderId?: string } = {},
): AsyncGenerator<LendingEvent> {
  for await (const record of store.enterprises.values())
    yield* lendingEventsOf(record, options.lenderId);
}
