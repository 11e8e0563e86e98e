/** The benchmarks in the order they run; the ones on the demo consortium share one. */
import type { BenchContext } from './context.js';
import { openBenchConsortium } from './consortium-fixture.js';
import { benchExchange } from './exchange-bench.js';
import { benchFabric } from './fabric-bench.js';
import { benchGateway } from './gateway-bench.js';
import { benchIngest } from './ingest-bench.js';
import { benchLedger } from './ledger-bench.js';
import { benchMultiLending } from './multilending-bench.js';
import { benchProvenance } from './provenance-bench.js';
import type { BenchResult } from './results.js';
import { benchRing } from './ring-bench.js';

type Bench = (ctx: BenchContext) => Promise<BenchResult[]>;

/** Benchmarks that need the demo consortium get a fresh one each (small, seconds to set up). */
function onConsortium(run: (ctx: BenchContext, bench: Awaited<ReturnType<typeof openBenchConsortium>>) => Promise<BenchResult[]>, enterprises = 200): Bench {
  return async (ctx) => {
    const bench = await openBenchConsortium(ctx, enterprises);
    try {
      return await run(ctx, bench);
    } finally {
      await bench.close();
    }
  };
}

export const BENCHMARKS = {
  ledger: benchLedger,
  multilending: benchMultiLending,
  gateway: onConsortium(benchGateway),
  exchange: onConsortium(benchExchange),
  provenance: onConsortium(benchProvenance),
  ingest: onConsortium(benchIngest),
  fabric: benchFabric,
  ring: benchRing,
} satisfies Record<string, Bench>;

export type BenchmarkName = keyof typeof BENCHMARKS;
