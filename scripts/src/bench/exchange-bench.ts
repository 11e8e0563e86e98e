/**
 * exchange.riskreport.p50_ms / .rps: POST /v1/risk-reports end to end (gateway → consumer
 * connector → libp2p → provider's model → receipt committed on the ledger → verified by the
 * consumer → back) against a libp2p echo of the same payload size.
 */
import { join } from 'node:path';
import { percentile, runPool, secondsSince, type BenchContext } from './context.js';
import { BENCH_LENDER, BENCH_PRODUCT, type BenchConsortium } from './consortium-fixture.js';
import { measureEcho } from './echo-baseline.js';
import { newResult, type BenchResult } from './results.js';

/** Runs the exchange benchmark on an open bench consortium. */
export async function benchExchange(ctx: BenchContext, bench: BenchConsortium): Promise<BenchResult[]> {
  const lender = bench.connector(BENCH_LENDER);
  const parallel = 8;
  const sequential = ctx.quick ? 40 : 200;
  const total = ctx.quick ? 120 : 800;
  ctx.log(`exchange: ${parallel} usage contracts and consents…`);
  const jobs: { contractId: string; consentId: string; uscc: string }[] = [];
  for (let i = 0; i < parallel; i++) {
    const uscc = bench.usccs[i % bench.usccs.length]!;
    const contract = await lender.consumer.negotiate({ productId: BENCH_PRODUCT, purpose: 'pre_loan' });
    jobs.push({ contractId: contract.contractId, consentId: await bench.grantConsent(uscc, [BENCH_PRODUCT]), uscc });
  }
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${bench.apiKeys.get(BENCH_LENDER)!}` };
  let responseBytes = 0;
  const report = async (job: (typeof jobs)[number]): Promise<void> => {
    const res = await fetch(`${bench.url}/v1/risk-reports`, { method: 'POST', headers, body: JSON.stringify(job) });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`risk report answered ${res.status}: ${text.slice(0, 300)}`);
    responseBytes = Buffer.byteLength(text);
  };
  for (let i = 0; i < 5; i++) await report(jobs[0]!); // warm-up
  const samples: number[] = [];
  const bar = ctx.progress('exchange: sequential risk reports', sequential);
  for (let i = 0; i < sequential; i++) {
    const t = process.hrtime.bigint();
    await report(jobs[0]!);
    samples.push(secondsSince(t) * 1000);
    bar.update(i + 1);
  }
  bar.stop();
  ctx.log(`exchange: ${total} risk reports, ${parallel} at once (one per contract)…`);
  const start = process.hrtime.bigint();
  await runPool(total, parallel, (i) => report(jobs[i % parallel]!));
  const rps = total / secondsSince(start);
  const p50 = percentile(samples, 50);

  ctx.log(`exchange: libp2p echo of ${responseBytes} bytes…`);
  const echo = await measureEcho(join(ctx.tmpDir, 'echo'), responseBytes, sequential, total, parallel);
  return [
    newResult({
      name: 'exchange.riskreport.p50_ms',
      value: p50,
      unit: 'ms',
      better: 'lower',
      baseline: `libp2p echo of the same payload size (${responseBytes} bytes), new stream per request`,
      baselineValue: echo.p50Ms,
      target: 'p50 <= 50 ms on the embedded ledger',
      targetMet: p50 <= 50,
      note: `${sequential} sequential requests; p99 ${percentile(samples, 99).toFixed(1)} ms`,
    }),
    newResult({
      name: 'exchange.riskreport.rps',
      value: rps,
      unit: 'req/s',
      baseline: `libp2p echo of ${responseBytes} bytes, ${parallel} at once`,
      baselineValue: echo.rps,
      note: `${total} requests, ${parallel} at once over ${parallel} contracts (the provider serialises uses of one contract)`,
    }),
  ];
}
