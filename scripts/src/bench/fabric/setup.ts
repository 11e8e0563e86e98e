/**
 * Prepares the live Fabric network for the benchmark: the put-only baseline chaincode
 * (network/fabric/baseline.sh deploy), a fresh definition of xinlian's chaincode (an empty
 * world state, same service process) with a regulator and a lender bootstrapped on it, and
 * the clients both runs submit through (the lender's identity, the same client library).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { LedgerClient } from '@xinlian/network';
import { createFabricLedgerClient, loadFabricProfile } from '@xinlian/network/fabric';

const run = promisify(execFile);
const SCRIPTS = fileURLToPath(new URL('../../../../network/fabric/', import.meta.url));

/** Name of the baseline's chaincode definition (baseline.sh's default). */
export const BASELINE_CHAINCODE = 'xinlian_baseline';

export interface FabricBenchSetup {
  /** The lender's client on the fresh definition of xinlian's chaincode. */
  readonly ours: LedgerClient;
  /** The same identity's client on the baseline chaincode. */
  readonly baseline: LedgerClient;
  /** The fresh definition's name. */
  readonly chaincode: string;
  close(): Promise<void>;
}

/**
 * Runs one of network/fabric's scripts; its stderr is the scripts' log.
 *
 * @throws Error naming the script and the end of its log when it exits non-zero.
 */
async function script(name: string, args: readonly string[], env: Record<string, string> = {}): Promise<void> {
  try {
    await run('bash', [`${SCRIPTS}${name}`, ...args], { env: { ...process.env, ...env }, timeout: 180_000 });
  } catch (e) {
    const stderr = typeof e === 'object' && e !== null && 'stderr' in e ? String(e.stderr) : '';
    throw new Error(`${name} ${args.join(' ')} failed: ${stderr.trim().split('\n').slice(-3).join(' | ') || String(e)}`, { cause: e });
  }
}

async function clientOf(org: string, user: string, chaincode: string): Promise<LedgerClient> {
  const options = await loadFabricProfile({ org, user, timeouts: { commitMs: 120_000 } });
  return createFabricLedgerClient({ ...options, chaincode });
}

/** A well-formed signer address, fixed per institution (the chaincode only checks its form). */
function address(n: number): string {
  return `0x${n.toString(16).padStart(40, '0')}`;
}

/**
 * Deploys what the benchmark needs and opens its clients. Close the result when done.
 *
 * @throws Error when a network script fails; LedgerError / ChaincodeError when bootstrapping fails.
 */
export async function setUpFabricBench(log: (line: string) => void): Promise<FabricBenchSetup> {
  log('fabric: deploying the put-only baseline chaincode (baseline.sh deploy)');
  await script('baseline.sh', ['deploy']);
  const chaincode = `bench_${randomBytes(4).toString('hex')}`;
  log(`fabric: committing a fresh definition of our chaincode (${chaincode})`);
  await script('chaincode.sh', ['deploy'], { FABRIC_CC_NAME: chaincode });
  const opened: LedgerClient[] = [];
  const close = async (): Promise<void> => {
    await Promise.allSettled(opened.map((c) => c.close()));
  };
  try {
    const regulator = await clientOf('regulator', 'User1', chaincode);
    opened.push(regulator);
    const ours = await clientOf('lender', 'User1', chaincode);
    opened.push(ours);
    const baseline = await clientOf('lender', 'User1', BASELINE_CHAINCODE);
    opened.push(baseline);
    await regulator.submit('institutions:Initialize', [
      JSON.stringify({ id: 'regulator', name: 'Regulator', roles: ['regulator'], signerAddress: address(1) }),
    ]);
    await regulator.submit('institutions:Admit', [
      JSON.stringify({
        id: 'lender', name: 'Lender', roles: ['microlender'], signerAddress: address(2),
        mspId: ours.identity.mspId, clientId: ours.identity.clientId,
      }),
    ]);
    return { ours, baseline, chaincode, close };
  } catch (e) {
    await close();
    throw e;
  }
}
