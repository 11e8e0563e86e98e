import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedLedger } from '../../src/embedded/ledger.js';
import { openKvLedger, tempDir, twoOrgs } from '../support/embedded.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let ledger: EmbeddedLedger;

beforeAll(async () => {
  dir = await tempDir();
  ledger = await openKvLedger(dir.path, { blockMaxTransactions: 200, blockMaxWaitMs: 5 });
});
afterAll(async () => {
  await ledger.close();
  await dir.remove();
});

describe('embedded ledger: concurrent submitters', () => {
  it('commits 2000 concurrent submits from two organisations in batched blocks without corruption', async () => {
    const { alice, bob } = await twoOrgs();
    const clients = [ledger.connect(alice), ledger.connect(bob)];
    const start = ledger.height;
    const t0 = performance.now();
    const results = await Promise.all(Array.from({ length: 2000 }, (_, i) => clients[i % 2]!.submit('kv:Put', [`k${i}`, `v${i}`])));
    const seconds = (performance.now() - t0) / 1000;
    console.info(`embedded ledger: ${Math.round(2000 / seconds)} tx/s over ${ledger.height - start} blocks`);
    expect(new Set(results.map((r) => r.txId)).size).toBe(2000);
    expect(ledger.height - start).toBeLessThan(2000 / 10);
    const all = JSON.parse(await clients[0]!.evaluate('kv:Range', ['k', 'l'])) as [string, string][];
    expect(all).toHaveLength(2000);
    expect(all.every(([k, v]) => v === `v${k.slice(1)}`)).toBe(true);
    expect((await clients[1]!.checkIntegrity()).ok).toBe(true);
  });
});
