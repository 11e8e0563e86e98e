/**
 * Child process of the HTTP benchmarks: runs one autocannon load and prints its summary as
 * one line of JSON, so the load generator never shares an event loop with the server.
 * Input: argv[2] = JSON {@link LoadSpec}.
 */
import autocannon from 'autocannon';
import type { LoadSpec, LoadSummary } from './load.js';

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  const result = await autocannon({
    url: spec.url,
    method: spec.method,
    headers: spec.headers,
    ...(spec.body !== undefined ? { body: spec.body } : {}),
    connections: spec.connections,
    duration: spec.durationSeconds,
    ...(spec.overallRate !== undefined ? { overallRate: spec.overallRate } : {}),
    timeout: 10,
  });
  const completed = result.requests.total ?? 0;
  const summary: LoadSummary = {
    rps: completed / Math.max(result.duration, 1e-9),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    completed,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`load worker failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
