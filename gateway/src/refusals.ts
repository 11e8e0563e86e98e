/**
 * Refusals the gateway makes itself (role, suspension) go on the ledger as `denied` audit
 * records, like every other refusal of a known institution. They are queued and written in
 * batches (every `flushMs` or `maxBatch` refusals) so that an answer never waits for the
 * ledger; a failed write is logged and retried with back-off, never thrown.
 */
import type { FastifyBaseLogger } from 'fastify';

/** One refusal as `audit:RecordRefusals` takes it. */
export interface Refusal {
  /** What was refused, e.g. `POST /v1/institutions`. */
  readonly action: string;
  /** The gateway's code (`GW_FORBIDDEN`, `GW_INSTITUTION_SUSPENDED`). */
  readonly code: string;
  readonly message: string;
  /** The refused institution. */
  readonly requester: string;
}

export interface RefusalRecorder {
  /** Queues a refusal; returns at once. */
  record(refusal: Refusal): void;
  /** Writes everything queued now (used at close and in tests); never throws. */
  flush(): Promise<void>;
  /** Refusals queued and not yet written. */
  readonly pending: number;
  /** Stops the timers after a last flush. */
  close(): Promise<void>;
}

export interface RefusalRecorderOptions {
  /** Writes one batch (1–100) to the ledger. */
  readonly write: (refusals: readonly Refusal[]) => Promise<void>;
  readonly log: FastifyBaseLogger;
  /** Default 200 ms. */
  readonly flushMs?: number;
  /** Default 100 (the chaincode's limit per call). */
  readonly maxBatch?: number;
  /** Refusals kept while the ledger cannot take them; beyond, the oldest are dropped (logged). Default 10000. */
  readonly maxQueue?: number;
  /** First retry delay after a failed write, doubled up to 30 s. Default 1000 ms. */
  readonly retryMs?: number;
  /** How long `close` waits for the last writes, ms (default 2000); what is left is logged and dropped. */
  readonly closeTimeoutMs?: number;
  /**
   * The same refusal (institution, action, code) is recorded at most once per this many ms
   * (default 60000; 0: every one), so that a refused institution hammering the gateway cannot
   * flood the ledger; the record written says how many were folded into the previous one.
   */
  readonly repeatWindowMs?: number;
  /** Clock in ms (default Date.now). */
  readonly now?: () => number;
}

const MAX_RETRY_MS = 30_000;

export function createRefusalRecorder(options: Readonly<RefusalRecorderOptions>): RefusalRecorder {
  const flushMs = options.flushMs ?? 200;
  const maxBatch = Math.min(options.maxBatch ?? 100, 100);
  const maxQueue = options.maxQueue ?? 10_000;
  const firstRetry = options.retryMs ?? 1_000;
  const queue: Refusal[] = [];
  const repeatWindowMs = options.repeatWindowMs ?? 60_000;
  const now = options.now ?? Date.now;
  /** Per (institution, action, code): until when repeats are folded, and how many were. */
  const recent = new Map<string, { until: number; folded: number }>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let retryMs = 0;
  let dropped = 0;
  let closed = false;

  const schedule = (delay: number): void => {
    if (timer !== undefined || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, delay);
    timer.unref();
  };

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      try {
        await options.write(batch);
      } catch (err) {
        retryMs = retryMs === 0 ? firstRetry : Math.min(retryMs * 2, MAX_RETRY_MS);
        options.log.warn({ err, pending: queue.length, retryInMs: retryMs }, 'gateway refusals not recorded on the ledger yet; retrying');
        schedule(retryMs);
        return;
      }
      queue.splice(0, batch.length);
      retryMs = 0;
    }
  }

  function flush(): Promise<void> {
    running ??= drain().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    record(refused) {
      if (closed) return;
      let refusal = refused;
      if (repeatWindowMs > 0) {
        const at = now();
        const key = `${refusal.requester}\n${refusal.action}\n${refusal.code}`;
        const seen = recent.get(key);
        if (seen && seen.until > at) {
          seen.folded++;
          return;
        }
        if (recent.size >= 10_000) for (const [k, v] of recent) if (v.until <= at) recent.delete(k);
        recent.set(key, { until: at + repeatWindowMs, folded: 0 });
        const folded = seen?.folded ?? 0;
        if (folded > 0) refusal = { ...refusal, message: `${refusal.message} (and ${folded} more like it before)` };
      }
      queue.push(refusal);
      if (queue.length > maxQueue) {
        queue.shift();
        if (dropped++ % 1000 === 0) options.log.error({ dropped }, 'gateway refusal queue full: oldest refusals dropped');
      }
      if (retryMs > 0) return; // a retry is scheduled
      if (queue.length >= maxBatch) {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        void flush();
      } else schedule(flushMs);
    },
    flush: async () => {
      await running;
      await flush();
    },
    get pending() {
      return queue.length;
    },
    async close() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      let deadline: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        deadline = setTimeout(resolve, options.closeTimeoutMs ?? 2_000);
        deadline.unref();
      });
      await Promise.race([flush(), timeout]);
      clearTimeout(deadline);
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      if (queue.length > 0) options.log.error({ pending: queue.length }, 'gateway refusals not recorded on the ledger before shutdown');
    },
  };
}
