/**
 * gateway.multilending.rps / .p99_ms: POST /v1/multi-lending/check under load (autocannon in
 * a separate process) against fastify's empty POST route with the same body on this machine.
 * p99 is measured at half of the maximum rate just measured.
 */
import { startBaselineServer } from './baseline-server.js';
import type { BenchContext } from './context.js';
import { BENCH_LENDER, type BenchConsortium } from './consortium-fixture.js';
import { runLoad, type LoadSpec, type LoadSummary } from './load.js';
import { newResult, type BenchResult } from './results.js';

const CONNECTIONS = 32;

/** Runs the gateway benchmark on an open bench consortium. */
export async function benchGateway(ctx: BenchContext, bench: BenchConsortium): Promise<BenchResult[]> {
  const uscc = bench.usccs[0]!;
  const consentId = await bench.grantConsent(uscc, ['multi-lending-check']);
  const body = JSON.stringify({ uscc, consentId });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${bench.apiKeys.get(BENCH_LENDER)!}` };
  const seconds = ctx.quick ? 5 : 15;
  const ours: LoadSpec = { url: `${bench.url}/v1/multi-lending/check`, method: 'POST', headers, body, connections: CONNECTIONS, durationSeconds: seconds };

  const probe = await fetch(ours.url, { method: 'POST', headers, body });
  if (probe.status !== 200) throw new Error(`multi-lending check answered ${probe.status}: ${await probe.text()}`);

  const baseline = await startBaselineServer();
  let base: LoadSummary;
  try {
    const spec: LoadSpec = { ...ours, url: `${baseline.url}/empty` };
    ctx.log(`gateway: baseline (fastify empty POST route), ${seconds} s…`);
    await runLoad({ ...spec, durationSeconds: 1 });
    base = await runLoad(spec);
  } finally {
    await baseline.close();
  }
  ctx.log(`gateway: warm-up…`);
  await runLoad({ ...ours, durationSeconds: 2 });
  ctx.log(`gateway: POST /v1/multi-lending/check at full load, ${seconds} s…`);
  const max = await runLoad(ours);
  const halfRate = Math.max(1, Math.floor(max.rps / 2));
  ctx.log(`gateway: at half of the maximum (${halfRate} req/s), ${seconds} s…`);
  const half = await runLoad({ ...ours, overallRate: halfRate });
  ctx.log(`gateway: baseline at the same rate, ${seconds} s…`);
  const baseline2 = await startBaselineServer();
  let baseHalf: LoadSummary;
  try {
    baseHalf = await runLoad({ ...ours, url: `${baseline2.url}/empty`, overallRate: halfRate });
  } finally {
    await baseline2.close();
  }
  const ratio = max.rps / base.rps;
  return [
    newResult({
      name: 'gateway.multilending.rps',
      value: max.rps,
      unit: 'req/s',
      baseline: 'fastify empty POST route, same body and headers, logging off',
      baselineValue: base.rps,
      target: '>= 0.40 of the baseline',
      targetMet: ratio >= 0.4,
      note: `${CONNECTIONS} connections, ${seconds} s; each check is a committed lending:RequestCheck plus an evaluated GetCheckResult; p50 ${max.p50Ms} ms at full load`,
    }),
    newResult({
      name: 'gateway.multilending.p99_ms',
      value: half.p99Ms,
      unit: 'ms',
      better: 'lower',
      baseline: 'fastify empty POST route at the same rate',
      baselineValue: Math.max(baseHalf.p99Ms, 0.001),
      target: 'p99 <= 10 ms at half of the measured maximum',
      targetMet: half.p99Ms <= 10,
      note: `${halfRate} req/s offered (half of ${Math.round(max.rps)}), p50 ${half.p50Ms} ms`,
    }),
  ];
}
