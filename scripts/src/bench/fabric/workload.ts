/**
 * The transactions both sides of the Fabric benchmark submit: one-event `lending:Record` on
 * ours (under its own batch id), `put(key, value)` with the same event JSON as the value on
 * the baseline, so both carry the same payload bytes.
 */
import { randomBytes } from 'node:crypto';

/** The arguments of the i-th transaction on each side of one run. */
export interface FabricWorkload {
  /** `[batchId, events]`: a batch id of its own, so no transaction is a replay of another. */
  lending(i: number): readonly [string, string];
  put(i: number): readonly [string, string];
}

/**
 * A workload of `size` distinct subjects (random tokens) with every event dated `occurredAt`
 * (ISO-8601; the chaincode accepts up to 5 minutes after the transaction time, so use now).
 * Transactions in flight together must not share a subject (each updates the lender's
 * lifecycle record of its subject): make `size` at least the number of transactions.
 *
 * @throws RangeError when `size` is not a positive integer or `occurredAt` is not an ISO time.
 */
export function fabricWorkload(size: number, occurredAt: string): FabricWorkload {
  if (!Number.isInteger(size) || size <= 0) throw new RangeError(`size must be a positive integer, got ${size}`);
  if (Number.isNaN(Date.parse(occurredAt))) throw new RangeError(`occurredAt must be an ISO time, got ${occurredAt}`);
  const run = randomBytes(4).toString('hex');
  const tokens = Array.from({ length: size }, () => `0x${randomBytes(32).toString('hex')}`);
  const events = (i: number): string =>
    JSON.stringify([{ subjectToken: tokens[i % size]!, type: 'application', amount: 100_000, occurredAt }]);
  return {
    lending: (i) => [`bench-${run}-${i}`, events(i)],
    put: (i) => [`bench~${run}~${i}`, events(i)],
  };
}
