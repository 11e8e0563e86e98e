/**
 * Idempotency records: the first answer to a `POST` carrying an `Idempotency-Key`, kept
 * 24 hours per (institution, key). The durable store lives in gateway-store.ts; the memory
 * store here serves apps built without one (tests, benchmarks).
 */

/** How long an answer is replayed (API.md: 24 hours). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** What is kept of the first answer. */
export interface IdempotencyRecord {
  /** sha256 of the method, URL and canonical body: another request under the same key is a conflict. */
  readonly fingerprint: string;
  readonly status: number;
  /** The response body as sent (JSON text), secrets removed. */
  readonly body: string;
  /** ms since the epoch. */
  readonly createdAt: number;
}

export interface IdempotencyStore {
  /** The live record for the scope (`<institutionId>/<key>`), or undefined (absent or older than 24 h). */
  get(scope: string): Promise<IdempotencyRecord | undefined>;
  put(scope: string, record: IdempotencyRecord): Promise<void>;
}

/** An in-memory store (lost on restart). */
export function createMemoryIdempotencyStore(now: () => number = Date.now): IdempotencyStore {
  const records = new Map<string, IdempotencyRecord>();
  return {
    async get(scope) {
      const record = records.get(scope);
      if (record && record.createdAt <= now() - IDEMPOTENCY_TTL_MS) {
        records.delete(scope);
        return undefined;
      }
      return record;
    },
    async put(scope, record) {
      records.set(scope, record);
    },
  };
}
