import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type ConnectorStore } from '../../src/store/index.js';

/** A manual clock for deterministic time in store tests. */
export class TestClock {
  t = Date.UTC(2025, 0, 1);
  readonly now = () => this.t;
}

/** A temp data dir; call `cleanup` in afterAll. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'xinlian-store-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function openTestStore(dir: string, clock = new TestClock()): Promise<ConnectorStore> {
  return openStore({ dataDir: dir, now: clock.now });
}
