import { ClassicLevel } from 'classic-level';
import { spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedIdentity } from '../../src/embedded/identity.js';
import { OPEN_MARKER, type EmbeddedLedger } from '../../src/embedded/ledger.js';
import { existsSync } from 'node:fs';
import { openKvLedger, tempDir } from '../support/embedded.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const runner = fileURLToPath(new URL('../support/crash-runner.mjs', import.meta.url));
let dir: Awaited<ReturnType<typeof tempDir>>;

const buildDir = fileURLToPath(new URL('../support/dist', import.meta.url));

beforeAll(() => {
  // The child runs the ledger compiled by tsc (there is no TypeScript loader outside vitest).
  // Only the embedded ledger's own sources are compiled, into test/support/dist (git-ignored).
  const args = ['--outDir', buildDir, '--rootDir', join(root, 'network/src'), '--module', 'nodenext', '--moduleResolution', 'nodenext',
    '--target', 'es2022', '--lib', 'es2023', '--skipLibCheck', '--types', 'node', join(root, 'network/src/embedded/index.ts')];
  const build = spawnSync(join(root, 'node_modules/.bin/tsc'), args, { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`compiling the embedded ledger failed:\n${build.stdout}${build.stderr}`);
}, 180_000);
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  await dir?.remove();
  await rm(buildDir, { recursive: true, force: true });
});

/** Runs the child until it has reported `commits` commits, then SIGKILLs it. Returns the keys it saw committed. */
async function runAndKill(dataDir: string, mspDir: string, prefix: string, commits: number): Promise<string[]> {
  const child = spawn(process.execPath, [runner, dataDir, mspDir, prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const committed: string[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    const [word, key] = line.split(' ');
    if (word === 'committed') committed.push(key!);
    if (committed.length >= commits) {
      child.kill('SIGKILL');
      break;
    }
  }
  const signal = await exited;
  if (signal !== 'SIGKILL') throw new Error(`crash runner ended without being killed: ${stderr}`);
  return committed;
}

/** The state the committed blocks imply: writes of VALID transactions, in order. */
async function stateFromBlocks(ledger: EmbeddedLedger): Promise<Map<string, string>> {
  const state = new Map<string, string>();
  for (let n = 0; n < ledger.height; n++) {
    for (const tx of (await ledger.readBlock(n))!.data.transactions) {
      if (tx.validationCode !== 'VALID') continue;
      for (const [key, value] of tx.rwset.writes) {
        if (value === null) state.delete(key);
        else state.set(key, Buffer.from(value, 'base64').toString('utf8'));
      }
    }
  }
  return state;
}

describe('embedded ledger: crash recovery', () => {
  it('recovers exactly the state of the last committed block after SIGKILL mid-commit', async () => {
    const dataDir = join(dir.path, 'ledger');
    const mspDir = join(dir.path, 'msp');
    const seen: string[] = [];
    for (const round of [1, 2, 3]) {
      seen.push(...(await runAndKill(dataDir, mspDir, `r${round}`, randomInt(20, 200))));
      // The killed process left its open marker: this open runs the deep check, which passes.
      expect(existsSync(join(dataDir, OPEN_MARKER))).toBe(true);
      const ledger = await openKvLedger(dataDir);
      try {
        expect(ledger.recovery).toMatchObject({ ok: true, height: ledger.height, deep: { ok: true, mismatchCount: 0 } });
        const report = await ledger.checkIntegrity();
        expect(report).toMatchObject({ ok: true });
        const client = ledger.connect(await createEmbeddedIdentity({ mspId: 'Org1MSP', name: 'crash', dir: mspDir }));
        const actual = new Map(JSON.parse(await client.evaluate('kv:Range', ['', ''])) as [string, string][]);
        const expected = await stateFromBlocks(ledger);
        expect(actual).toEqual(expected);
        for (const key of seen) expect(actual.get(key)).toBe(`value of ${key}`);
      } finally {
        await ledger.close();
      }
    }
  });

  it('refuses to open after SIGKILL when the world state was edited meanwhile', async () => {
    const dataDir = join(dir.path, 'edited');
    const mspDir = join(dir.path, 'msp');
    const [key] = await runAndKill(dataDir, mspDir, 'e', 30);
    const db = new ClassicLevel<string, Buffer>(dataDir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
    const raw = (await db.get(`s:${key!}`))!;
    await db.put(`s:${key!}`, Buffer.concat([raw.subarray(0, 10), Buffer.from('forged')]));
    await db.close();
    await expect(openKvLedger(dataDir)).rejects.toMatchObject({ code: 'LEDGER_INTEGRITY_FAILED', message: expect.stringContaining(key!) });
    // Opening without the check (repair tooling) serves it, and the deep check still names the key.
    const ledger = await openKvLedger(dataDir, { checkAfterUncleanStop: false });
    try {
      expect(ledger.recovery).toBeUndefined();
      expect((await ledger.checkIntegrity({ deep: true })).deep).toMatchObject({ ok: false, mismatches: [{ key, reason: 'value' }] });
    } finally {
      await ledger.close();
    }
  });
});
