import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { percentile, runPool } from '../../src/bench/context.js';
import { formatTable, newResult, skippedResult, writeResults } from '../../src/bench/results.js';

describe('bench results', () => {
  it('gives throughputs value / baseline and latencies the inverse, so higher is always better', () => {
    const rps = newResult({ name: 'a.rps', value: 400, unit: 'req/s', baseline: 'empty route', baselineValue: 1000 });
    expect(rps).toMatchObject({ ratio: 0.4, better: 'higher', baselineValue: 1000 });
    const p99 = newResult({ name: 'a.p99_ms', value: 20, unit: 'ms', baseline: 'empty route', baselineValue: 5, better: 'lower' });
    expect(p99).toMatchObject({ ratio: 0.25, better: 'lower', value: 20 });
    expect(newResult({ name: 'z', value: 0, unit: 'x', baseline: 'b', baselineValue: 3 }).ratio).toBeNull();
  });

  it('prints one table line per figure, marking missed targets and skipped ones', () => {
    const table = formatTable([
      newResult({ name: 'ledger.embedded.tps', value: 2500, unit: 'tx/s', baseline: 'raw', baselineValue: 10_000, target: '>= 5,000', targetMet: false }),
      skippedResult('fabric.tps', 'tx/s', 'put-only chaincode', 'higher', 'network not up'),
    ]);
    expect(table).toMatch(/ledger\.embedded\.tps\s+2,500 tx\/s\s+10,000 tx\/s\s+0\.250\s+higher\s+MISSED/);
    expect(table).toMatch(/fabric\.tps\s+- tx\/s\s+- tx\/s\s+-\s+higher\s+skipped/);
    expect(table).toContain('fabric.tps: baseline: put-only chaincode; network not up');
  });

  it('writes <data dir>/bench/results.json as an array with the agreed fields', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xinlian-bench-test-'));
    try {
      const path = await writeResults(dir, [newResult({ name: 'n', value: 2, unit: 'u', baseline: 'b', baselineValue: 4 })]);
      expect(path).toBe(join(dir, 'bench', 'results.json'));
      const parsed = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>[];
      expect(parsed).toEqual([{ name: 'n', value: 2, unit: 'u', baseline: 'b', baselineValue: 4, ratio: 0.5, better: 'higher' }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('bench helpers', () => {
  it('takes nearest-rank percentiles', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 99)).toBe(5);
    expect(percentile([], 50)).toBe(0);
  });

  it('runs every item with bounded concurrency and rethrows the first failure', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPool(20, 3, async (i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      seen.push(i);
      running--;
    });
    expect(peak).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    await expect(runPool(5, 2, async (i) => { if (i === 2) throw new Error('boom'); })).rejects.toThrow('boom');
  });
});
