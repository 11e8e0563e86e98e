/**
 * ring.precision, ring.recall, ring.detect_s: the provider connector's fraud-ring detector
 * over synthetic enterprises (planted rings, agencies, business centres, group companies),
 * scored per enterprise against the generator's ground truth. Baseline: the naive detector
 * (every firm sharing a normalised phone, address or legal representative with another),
 * over the same data — its precision and recall, and its time to group the values.
 * detect_s is loading the enterprises into the detector plus one full detection; the
 * generation of the data is not timed.
 */
import { createRingDetector, normaliseAttribute, RING_ATTRIBUTES, ringSubjectOf, type RingSubject } from '@xinlian/connector';
import { generateEnterprise } from '../synthetic/enterprise-gen.js';
import { seedHash } from '../synthetic/prng.js';
import { DEFAULT_AS_OF } from '../synthetic/generate.js';
import { secondsSince, type BenchContext } from './context.js';
import { newResult, type BenchResult } from './results.js';

const SEED = 2025;

interface DataSet {
  readonly subjects: RingSubject[];
  readonly planted: Set<string>;
}

function dataSet(ctx: BenchContext, count: number, asOfMs: number): DataSet {
  const seed = seedHash(SEED);
  const subjects: RingSubject[] = [];
  const planted = new Set<string>();
  const step = Math.max(1, Math.floor(count / 20));
  const progress = ctx.progress(`generating ${count.toLocaleString('en-US')} enterprises`, count);
  for (let i = 0; i < count; i++) {
    const { record, truth } = generateEnterprise(seed, i, asOfMs);
    subjects.push(ringSubjectOf(record));
    if (truth.ringId) planted.add(record.uscc);
    if ((i + 1) % step === 0) progress.update(i + 1);
  }
  progress.stop();
  return { subjects, planted };
}

function score(found: ReadonlySet<string>, planted: ReadonlySet<string>): { precision: number; recall: number } {
  let hits = 0;
  for (const k of found) if (planted.has(k)) hits++;
  return { precision: found.size === 0 ? 0 : hits / found.size, recall: planted.size === 0 ? 0 : hits / planted.size };
}

/** The naive detector: anyone sharing any normalised identifier value with anyone else. */
function naive(subjects: readonly RingSubject[]): Set<string> {
  const first = new Map<string, string>();
  const flagged = new Set<string>();
  for (const s of subjects) {
    RING_ATTRIBUTES.forEach((kind, i) => {
      const v = normaliseAttribute(kind, s[kind]);
      if (v === undefined) return;
      const key = `${i}:${v}`;
      const other = first.get(key);
      if (other === undefined) first.set(key, s.key);
      else {
        flagged.add(other);
        flagged.add(s.key);
      }
    });
  }
  return flagged;
}

async function runSize(ctx: BenchContext, count: number, suffix: string): Promise<BenchResult[]> {
  const asOfMs = Date.parse(`${DEFAULT_AS_OF}T00:00:00Z`);
  const data = dataSet(ctx, count, asOfMs);
  const t0 = process.hrtime.bigint();
  const flagged = naive(data.subjects);
  const naiveS = secondsSince(t0);
  const base = score(flagged, data.planted);

  const t1 = process.hrtime.bigint();
  const detector = createRingDetector({}, asOfMs);
  for (const s of data.subjects) detector.addEnterprise(s);
  const rings = detector.detect();
  const detectS = secondsSince(t1);
  const found = new Set(rings.flatMap((r) => r.members));
  const ours = score(found, data.planted);
  const { nodes, edges } = detector.stats;
  const note = `${count.toLocaleString('en-US')} enterprises, ${data.planted.size} planted ring members, ${rings.length} rings found (${found.size} members); graph ${nodes} nodes, ${edges} edges`;
  ctx.log(`ring${suffix}: precision ${ours.precision.toFixed(4)} recall ${ours.recall.toFixed(4)} in ${detectS.toFixed(2)} s (naive: ${base.precision.toFixed(4)} / ${base.recall.toFixed(4)} in ${naiveS.toFixed(2)} s)`);
  const is1m = count >= 1_000_000;
  return [
    newResult({ name: `ring.precision${suffix}`, value: ours.precision, unit: 'ratio', baseline: 'naive shared-identifier detector, same data', baselineValue: base.precision, target: '≥ 0.95', targetMet: ours.precision >= 0.95, note }),
    newResult({ name: `ring.recall${suffix}`, value: ours.recall, unit: 'ratio', baseline: 'naive shared-identifier detector, same data', baselineValue: base.recall, target: '≥ 0.90', targetMet: ours.recall >= 0.9, note }),
    newResult({
      name: `ring.detect_s${suffix}`,
      value: detectS,
      unit: 's',
      baseline: 'naive detector: grouping the same identifiers',
      baselineValue: naiveS,
      better: 'lower',
      ...(is1m ? { target: '≤ 60 s for 1,000,000 enterprises', targetMet: detectS <= 60 } : {}),
      note,
    }),
  ];
}

/** Runs the ring benchmark: 100,000 enterprises, then 1,000,000 (not with --quick). */
export async function benchRing(ctx: BenchContext): Promise<BenchResult[]> {
  const results = await runSize(ctx, 100_000, ctx.quick ? '' : '.100k');
  if (!ctx.quick) results.push(...(await runSize(ctx, 1_000_000, '')));
  return results;
}
