/** Test helpers for the live Fabric network brought up by network/fabric/up.sh. */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createFabricLedgerClient, loadFabricProfile } from '../../../src/fabric/index.js';
import type { LedgerClient } from '../../../src/ledger-client.js';

const run = promisify(execFile);
const scripts = fileURLToPath(new URL('../../../fabric/', import.meta.url));

/** Runs one of the network scripts, e.g. `script('orderer.sh', ['orderer1', 'stop'])`. */
export async function script(name: string, args: readonly string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run('bash', [`${scripts}${name}`, ...args], { env: { ...process.env, ...env } });
  return stdout;
}

/**
 * Commits a new chaincode definition with a fresh name for the same package (same service
 * process): an empty world state for this test file, on the same channel and nodes.
 */
export async function freshChaincode(prefix: string): Promise<string> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await script('chaincode.sh', ['deploy'], { FABRIC_CC_NAME: name });
  return name;
}

/** A client of `user` in `org` (`regulator`, `lender`, `provider`) for chaincode `chaincode`. */
export async function clientOf(org: string, user: string, chaincode: string): Promise<LedgerClient> {
  const options = await loadFabricProfile({ org, user, timeouts: { commitMs: 60_000 } });
  return createFabricLedgerClient({ ...options, chaincode });
}

/** A valid EIP-55 address that is deterministic per label (the chaincode only checks its form). */
export function addressFor(n: number): string {
  return `0x${n.toString(16).padStart(40, '0')}`;
}
