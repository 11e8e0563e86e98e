/**
 * Benchmark results: every figure is a ratio against a baseline measured in the same run,
 * with both absolute values kept as context. Written to `<data dir>/bench/results.json`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Which way is better for a figure: throughput (`higher`) or latency (`lower`). */
export type Better = 'higher' | 'lower';

/** One line of results.json. */
export interface BenchResult {
  readonly name: string;
  /** Our figure; null when the benchmark was skipped. */
  readonly value: number | null;
  readonly unit: string;
  /** What the baseline is, in words. */
  readonly baseline: string;
  readonly baselineValue: number | null;
  /**
   * Higher is always better: value / baselineValue for throughputs, baselineValue / value
   * for latencies (the inverse ratio; `better` says which way the raw values go).
   */
  readonly ratio: number | null;
  readonly better: Better;
  /** The target for this figure, in words, and whether it was met. */
  readonly target?: string;
  readonly targetMet?: boolean;
  /** Extra context: why skipped, parameters, profile hints. */
  readonly note?: string;
}

export interface ResultInput {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline: string;
  readonly baselineValue: number;
  readonly better?: Better;
  readonly target?: string;
  readonly targetMet?: boolean;
  readonly note?: string;
}

/** Builds a result and its ratio (inverse for `better: 'lower'`). */
export function newResult(input: ResultInput): BenchResult {
  const better = input.better ?? 'higher';
  const { value, baselineValue } = input;
  const ratio =
    value > 0 && baselineValue > 0 ? round(better === 'higher' ? value / baselineValue : baselineValue / value, 4) : null;
  return {
    name: input.name,
    value: round(value, 3),
    unit: input.unit,
    baseline: input.baseline,
    baselineValue: round(baselineValue, 3),
    ratio,
    better,
    ...(input.target !== undefined ? { target: input.target } : {}),
    ...(input.targetMet !== undefined ? { targetMet: input.targetMet } : {}),
    ...(input.note !== undefined ? { note: input.note } : {}),
  };
}

/** A result for a benchmark that could not run (e.g. Fabric is not up). */
export function skippedResult(name: string, unit: string, baseline: string, better: Better, note: string): BenchResult {
  return { name, value: null, unit, baseline, baselineValue: null, ratio: null, better, note };
}

/** Rounds to `digits` decimals (keeps results.json readable). */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function fmt(x: number | null): string {
  if (x === null) return '-';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  return x.toFixed(x >= 100 ? 1 : 2);
}

/** The results as a plain-text table (one line per figure). */
export function formatTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    r.name,
    `${fmt(r.value)} ${r.unit}`,
    `${fmt(r.baselineValue)} ${r.unit}`,
    r.ratio === null ? '-' : r.ratio.toFixed(3),
    r.better,
    r.targetMet === undefined ? (r.value === null ? 'skipped' : '') : r.targetMet ? 'met' : 'MISSED',
  ]);
  const header = ['name', 'value', 'baseline', 'ratio', 'better', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows) out.push(line(r));
  const notes = results.filter((r) => r.note !== undefined || r.target !== undefined);
  if (notes.length > 0) out.push('');
  for (const r of notes) {
    const parts = [r.target !== undefined ? `target ${r.target}` : '', `baseline: ${r.baseline}`, r.note ?? ''].filter(Boolean);
    out.push(`${r.name}: ${parts.join('; ')}`);
  }
  return out.join('\n');
}

/** Writes `<dataDir>/bench/results.json`; returns its path. */
export async function writeResults(dataDir: string, results: readonly BenchResult[]): Promise<string> {
  const dir = join(dataDir, 'bench');
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'results.json');
  await writeFile(path, JSON.stringify(results, null, 2) + '\n');
  return path;
}
