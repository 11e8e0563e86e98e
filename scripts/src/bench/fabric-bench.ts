/**
 * fabric.tps / fabric.p50_ms: only when the Fabric network of network/fabric/ is up.
 * Not implemented beyond detection yet: it needs a put-only baseline chaincode deployed beside
 * ours and a bootstrapped lender on the network. Reports both figures as skipped with the reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from './context.js';
import { skippedResult, type BenchResult } from './results.js';

const STATUS_SCRIPT = fileURLToPath(new URL('../../../network/fabric/status.sh', import.meta.url));

/** True when every orderer, peer and the chaincode service of the local network is running. */
export function fabricIsUp(): boolean {
  if (!existsSync(STATUS_SCRIPT)) return false;
  return spawnSync('bash', [STATUS_SCRIPT], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

export async function benchFabric(ctx: BenchContext): Promise<BenchResult[]> {
  const up = fabricIsUp();
  const note = up
    ? 'skipped: the Fabric network is up, but the put-only baseline chaincode and the lending run are not implemented yet'
    : 'skipped: the Fabric network is not up (npm run fabric:up, then run again)';
  ctx.log(`fabric: ${note}`);
  const baseline = 'a put-only chaincode deployed beside ours on the same network';
  return [
    skippedResult('fabric.tps', 'tx/s', baseline, 'higher', note),
    skippedResult('fabric.p50_ms', 'ms', baseline, 'lower', note),
  ];
}
