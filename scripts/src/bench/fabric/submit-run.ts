/**
 * One timed run of the Fabric benchmark: `total` submits with `inFlight` at once through a
 * LedgerClient, each timed from the call to its commit; tx/s over the whole run and p50 latency.
 */
import type { LedgerClient } from '@xinlian/network';
import { percentile, runPool, secondsSince, type BenchContext } from '../context.js';

/** What one run measured. */
export interface SubmitRunStats {
  readonly total: number;
  readonly inFlight: number;
  /** Committed transactions per second over the whole run. */
  readonly tps: number;
  /** Median submit-to-commit latency, milliseconds. */
  readonly p50Ms: number;
  /** 95th percentile latency, milliseconds (context for the note). */
  readonly p95Ms: number;
  readonly seconds: number;
}

export interface SubmitRunOptions {
  readonly client: Pick<LedgerClient, 'submit'>;
  /** Transaction name, e.g. `lending:Record` or `put`. */
  readonly name: string;
  /** The arguments of the i-th transaction. */
  readonly args: (i: number) => readonly string[];
  readonly total: number;
  readonly inFlight: number;
  /** Progress bar label; progress is reported every `total / 10` transactions. */
  readonly label: string;
}

/**
 * Runs the submits and measures them. Every submit must commit: the first failure stops the
 * run (once the ones in flight settle) and is rethrown as it came from the client.
 *
 * @throws the client's error (LedgerError / ChaincodeError) of the first failed submit;
 *   RangeError when `total` or `inFlight` is not a positive integer.
 */
export async function submitRun(ctx: Pick<BenchContext, 'progress'>, options: SubmitRunOptions): Promise<SubmitRunStats> {
  const { client, name, args, total, inFlight } = options;
  if (!Number.isInteger(total) || total <= 0) throw new RangeError(`total must be a positive integer, got ${total}`);
  if (!Number.isInteger(inFlight) || inFlight <= 0) throw new RangeError(`inFlight must be a positive integer, got ${inFlight}`);
  const latencies: number[] = [];
  const step = Math.max(1, Math.floor(total / 10));
  const bar = ctx.progress(options.label, total);
  const start = process.hrtime.bigint();
  try {
    await runPool(total, inFlight, async (i) => {
      const t0 = process.hrtime.bigint();
      await client.submit(name, args(i));
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }, (done) => { if (done % step === 0 || done === total) bar.update(done); });
  } finally {
    bar.stop();
  }
  const seconds = secondsSince(start);
  return {
    total,
    inFlight,
    tps: total / seconds,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    seconds,
  };
}
