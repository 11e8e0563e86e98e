/** What every benchmark gets from the runner. */
import type { ProgressReporter } from '../demo/bootstrap.js';

export interface BenchContext {
  /** `--quick`: smaller runs (the whole suite in under two minutes). */
  readonly quick: boolean;
  /** A fresh directory under os.tmpdir() for this run; removed at the end. */
  readonly tmpDir: string;
  readonly log: (line: string) => void;
  readonly progress: ProgressReporter;
}

/** Seconds since `startNs` (from process.hrtime.bigint()). */
export function secondsSince(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e9;
}

/** The p-th percentile (0–100) of unsorted samples, nearest-rank; 0 for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/**
 * Runs `work(i)` for i in [0, total) with at most `limit` running at once; the first failure
 * is rethrown once the running ones settle. `onDone` is called after each success.
 */
export async function runPool(total: number, limit: number, work: (i: number) => Promise<void>, onDone?: (done: number) => void): Promise<void> {
  let next = 0;
  let done = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < total) {
      const i = next++;
      try {
        await work(i);
        onDone?.(++done);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, total) }, worker));
  if (failure) throw failure.error;
}
