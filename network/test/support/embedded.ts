/** Shared helpers for tests of the embedded ledger. */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedIdentity, type EmbeddedIdentity } from '../../src/embedded/identity.js';
import { createEmbeddedLedger, type EmbeddedLedger, type EmbeddedLedgerOptions } from '../../src/embedded/ledger.js';

const require = createRequire(import.meta.url);

/** The test contract classes (CommonJS, see kv-contract.cjs). */
export const kvContracts = (require('./kv-contract.cjs') as { contracts: unknown[] }).contracts;

/** A fresh temp directory and its remover. */
export async function tempDir(prefix = 'xinlian-ledger-'): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Opens an embedded ledger over the kv test contract. */
export function openKvLedger(dataDir: string, options: Partial<EmbeddedLedgerOptions> = {}): Promise<EmbeddedLedger> {
  return createEmbeddedLedger({ dataDir, contracts: kvContracts, blockMaxWaitMs: 2, ...options });
}

/** In-memory identities of two organisations, created once per test file. */
export async function twoOrgs(): Promise<{ alice: EmbeddedIdentity; bob: EmbeddedIdentity }> {
  const [alice, bob] = await Promise.all([
    createEmbeddedIdentity({ mspId: 'Org1MSP', name: 'alice' }),
    createEmbeddedIdentity({ mspId: 'Org2MSP', name: 'bob' }),
  ]);
  return { alice, bob };
}
