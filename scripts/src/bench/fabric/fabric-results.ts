/** Turns the two runs of the Fabric benchmark into fabric.tps and fabric.p50_ms. */
import { newResult, type BenchResult } from '../results.js';
import type { SubmitRunStats } from './submit-run.js';

/** What the baseline is, in the results' words. */
export const FABRIC_BASELINE = 'a put-only chaincode (fabric-shim, putState only) deployed beside ours on the same network';
/** The target: at least 80% of the baseline's tx/s. */
export const FABRIC_TPS_TARGET_RATIO = 0.8;

/** fabric.tps (ours / baseline, target ≥ 0.8) and fabric.p50_ms (baseline / ours). */
export function fabricResults(ours: SubmitRunStats, baseline: SubmitRunStats): BenchResult[] {
  const params = `${ours.total} one-event lending:Record submits vs ${baseline.total} put submits, ${ours.inFlight} in flight, lender's peer, commit awaited`;
  return [
    newResult({
      name: 'fabric.tps',
      value: ours.tps,
      unit: 'tx/s',
      baseline: FABRIC_BASELINE,
      baselineValue: baseline.tps,
      target: `>= ${FABRIC_TPS_TARGET_RATIO * 100}% of the baseline's tx/s`,
      targetMet: baseline.tps > 0 && ours.tps / baseline.tps >= FABRIC_TPS_TARGET_RATIO,
      note: `${params}; ours ${ours.seconds.toFixed(1)} s, baseline ${baseline.seconds.toFixed(1)} s`,
    }),
    newResult({
      name: 'fabric.p50_ms',
      value: ours.p50Ms,
      unit: 'ms',
      baseline: FABRIC_BASELINE,
      baselineValue: baseline.p50Ms,
      better: 'lower',
      note: `submit-to-commit latency; p95 ours ${ours.p95Ms.toFixed(0)} ms, baseline ${baseline.p95Ms.toFixed(0)} ms`,
    }),
  ];
}
