/**
 * ingest.lending.eps: lending events ingested through the public path (POST
 * /v1/lending-events as a lender, 500 events per call, a few calls at once), against the
 * same bodies POSTed to fastify's empty route (HTTP + JSON with no ledger).
 */
import { LENDING_EVENT_TYPES } from '@xinlian/chaincode';
import { startBaselineServer } from './baseline-server.js';
import { runPool, secondsSince, type BenchContext } from './context.js';
import { BENCH_LENDER, type BenchConsortium } from './consortium-fixture.js';
import { newResult, type BenchResult } from './results.js';

/** Largest batch the chaincode accepts in one lending:Record. */
const BATCH = 500;
const IN_FLIGHT = 4;

function bodyOf(usccs: readonly string[], call: number, at: string): string {
  const events = Array.from({ length: BATCH }, (_, k) => {
    const n = call * BATCH + k;
    return { uscc: usccs[n % usccs.length]!, type: LENDING_EVENT_TYPES[n % LENDING_EVENT_TYPES.length]!, amount: 1_000 + (n % 97) * 100, occurredAt: at };
  });
  return JSON.stringify({ events });
}

async function post(url: string, headers: Record<string, string>, body: string, expect: number): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  if (res.status !== expect) throw new Error(`${url} answered ${res.status}: ${text.slice(0, 300)}`);
}

/** Runs the ingest benchmark on an open bench consortium. */
export async function benchIngest(ctx: BenchContext, bench: BenchConsortium): Promise<BenchResult[]> {
  const total = ctx.quick ? 50_000 : 1_000_000;
  const calls = Math.ceil(total / BATCH);
  const at = new Date(Date.now() - 60_000).toISOString();
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${bench.apiKeys.get(BENCH_LENDER)!}` };

  const baseline = await startBaselineServer();
  let baseEps: number;
  try {
    const n = Math.min(calls, 200);
    const start = process.hrtime.bigint();
    await runPool(n, IN_FLIGHT, (i) => post(`${baseline.url}/empty`, headers, bodyOf(bench.usccs, i, at), 200));
    baseEps = (n * BATCH) / secondsSince(start);
  } finally {
    await baseline.close();
  }

  const bar = ctx.progress(`ingest: ${total.toLocaleString('en-US')} lending events`, total);
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await runPool(calls, IN_FLIGHT, (i) => post(`${bench.url}/v1/lending-events`, headers, bodyOf(bench.usccs, i, at), 201), (done) => bar.update(Math.min(total, done * BATCH)));
  const seconds = secondsSince(start);
  const used = process.cpuUsage(cpu);
  bar.stop();
  const eps = total / seconds;
  return [
    newResult({
      name: 'ingest.lending.eps',
      value: eps,
      unit: 'events/s',
      baseline: 'the same request bodies POSTed to fastify empty route',
      baselineValue: baseEps,
      target: `${total.toLocaleString('en-US')} events in <= ${ctx.quick ? '15 s (5 min pro rata)' : '5 minutes'}`,
      targetMet: seconds <= (300 * total) / 1_000_000,
      note: `${total} events in ${seconds.toFixed(1)} s, ${BATCH} per call, ${IN_FLIGHT} calls at once; process CPU ${Math.round((used.user + used.system) / total)} µs/event`,
    }),
  ];
}
