/**
 * fabric.tps / fabric.p50_ms: only when the Fabric network of network/fabric/ is up.
 * Our one-event `lending:Record` transaction (a fresh chaincode definition with a bootstrapped
 * lender) against a put-only baseline chaincode deployed beside ours (network/fabric/baseline.sh),
 * both submitted through the same Fabric LedgerClient as the same lender identity: N submits
 * with K in flight each, tx/s and p50 submit-to-commit latency. Skipped when the network is down.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from './context.js';
import { FABRIC_BASELINE, fabricResults } from './fabric/fabric-results.js';
import { setUpFabricBench } from './fabric/setup.js';
import { submitRun } from './fabric/submit-run.js';
import { fabricWorkload } from './fabric/workload.js';
import { skippedResult, type BenchResult } from './results.js';

const STATUS_SCRIPT = fileURLToPath(new URL('../../../network/fabric/status.sh', import.meta.url));

/** True when every orderer, peer and the chaincode service of the local network is running. */
export function fabricIsUp(): boolean {
  if (!existsSync(STATUS_SCRIPT)) return false;
  return spawnSync('bash', [STATUS_SCRIPT], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

function skipped(note: string): BenchResult[] {
  return [
    skippedResult('fabric.tps', 'tx/s', FABRIC_BASELINE, 'higher', note),
    skippedResult('fabric.p50_ms', 'ms', FABRIC_BASELINE, 'lower', note),
  ];
}

/**
 * Runs the Fabric benchmark (`--quick`: 300 transactions per side, else 2,000; 32 in flight).
 * Deploys the baseline chaincode and a fresh definition of ours on the running network.
 *
 * @throws Error / LedgerError / ChaincodeError when deployment or a submit fails (a failed run
 *   is an error, not a figure).
 */
export async function benchFabric(ctx: BenchContext): Promise<BenchResult[]> {
  if (!fabricIsUp()) {
    const note = 'skipped: the Fabric network is not up (npm run fabric:up, then run again)';
    ctx.log(`fabric: ${note}`);
    return skipped(note);
  }
  const total = ctx.quick ? 300 : 2_000;
  const inFlight = 32;
  const setup = await setUpFabricBench(ctx.log);
  try {
    const work = fabricWorkload(total + inFlight * 2, new Date().toISOString());
    const warm = inFlight * 2;
    // Warm-up: gRPC connections, the chaincode services' first invocations, JIT.
    await submitRun(ctx, { client: setup.baseline, name: 'put', args: (i) => work.put(total + i), total: warm, inFlight, label: 'fabric: baseline warm-up' });
    await submitRun(ctx, { client: setup.ours, name: 'lending:Record', args: (i) => work.lending(total + i), total: warm, inFlight, label: 'fabric: lending warm-up' });
    const baseline = await submitRun(ctx, { client: setup.baseline, name: 'put', args: (i) => work.put(i), total, inFlight, label: 'fabric: baseline put' });
    ctx.log(`fabric: baseline ${baseline.tps.toFixed(1)} tx/s, p50 ${baseline.p50Ms.toFixed(0)} ms`);
    const ours = await submitRun(ctx, { client: setup.ours, name: 'lending:Record', args: (i) => work.lending(i), total, inFlight, label: 'fabric: lending:Record' });
    ctx.log(`fabric: ours ${ours.tps.toFixed(1)} tx/s, p50 ${ours.p50Ms.toFixed(0)} ms (chaincode ${setup.chaincode})`);
    return fabricResults(ours, baseline);
  } finally {
    await setup.close();
  }
}
