#!/usr/bin/env node
/**
 * `npm run bench [-- --quick] [-- --only ledger,gateway,...]`: runs the benchmarks, prints a
 * table and writes `<data dir>/bench/results.json` (data dir: XINLIAN_DATA_DIR or ./.xinlian).
 * Every figure is a ratio against a baseline measured in the same run; see README.md.
 */
import '@xinlian/connector/polyfills';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { consoleProgress } from '../demo/progress.js';
import type { BenchContext } from './context.js';
import { BENCHMARKS, type BenchmarkName } from './suite.js';
import { formatTable, writeResults, type BenchResult } from './results.js';

const USAGE = `Usage: npm run bench -- [--quick] [--only NAMES]

Runs xinlian's benchmarks; every figure is a ratio against a baseline measured in the same run.
  --quick        smaller runs (under two minutes)
  --only NAMES   comma-separated subset of: ${Object.keys(BENCHMARKS).join(', ')}
Writes <data dir>/bench/results.json (XINLIAN_DATA_DIR, default ./.xinlian).
Profile with: node --cpu-prof --cpu-prof-dir=prof scripts/dist/bench/index.js --only ledger`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const names = selected(values.only);
  const dataDir = resolve(process.env['XINLIAN_DATA_DIR'] ?? '.xinlian');
  const tmpDir = await mkdtemp(join(tmpdir(), 'xinlian-bench-'));
  const ctx: BenchContext = { quick: values.quick, tmpDir, log: (line) => console.log(line), progress: consoleProgress };
  const results: BenchResult[] = [];
  const started = Date.now();
  try {
    for (const name of names) {
      console.log(`\n== ${name}${values.quick ? ' (quick)' : ''}`);
      const t = Date.now();
      results.push(...(await BENCHMARKS[name](ctx)));
      console.log(`== ${name} done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
  console.log(`\n${formatTable(results)}\n`);
  const path = await writeResults(dataDir, results);
  console.log(`results: ${path} (${((Date.now() - started) / 1000).toFixed(1)} s in all)`);
}

function selected(only: string | undefined): BenchmarkName[] {
  const all = Object.keys(BENCHMARKS) as BenchmarkName[];
  if (only === undefined) return all;
  const names = only.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !all.includes(n as BenchmarkName));
  if (unknown.length > 0 || names.length === 0) throw new UsageError(`--only takes names from: ${all.join(', ')}`);
  return names as BenchmarkName[];
}

class UsageError extends Error {}

main().catch((e: unknown) => {
  if (e instanceof UsageError) {
    console.error(`${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
  if (process.env['DEBUG']) console.error(e);
  process.exit(1);
});
