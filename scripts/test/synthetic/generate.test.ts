import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  validateUscc,
  type EnterpriseRecord,
  type GroundTruth,
} from '@xinlian/connector';
import { createRingDetector, normaliseAddress, normalisePhone, openStore, ringSubjectOf, type ConnectorStore } from '@xinlian/connector';
import {
  exportLendingEvents,
  generateEnterprise,
  generateEnterprises,
  LENDER_IDS,
  seedHash,
  SYNTHETIC_META_KEY,
  batchesByEnterprise,
  lifecycleViolations,
  type LifecycleEvent,
} from '../../src/synthetic/index.js';

const COUNT = 4000;
/** One event of lender-1 for enterprise X, `daysBefore` days before 2025-06-30. */
const ev = (type: LifecycleEvent['type'], daysBefore: number): LifecycleEvent => ({
  uscc: 'X',
  lenderId: 'lender-1',
  type,
  occurredAt: new Date(Date.parse('2025-06-30T00:00:00Z') - daysBefore * 86_400_000 - 1).toISOString(),
});
const AS_OF = '2025-06-30';
const DAY = 86_400_000;
let dir: string;
let store: ConnectorStore;
const records: EnterpriseRecord[] = [];
const truths = new Map<string, GroundTruth>();
const progress: number[] = [];
let summary: Awaited<ReturnType<typeof generateEnterprises>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xinlian-synth-'));
  store = await openStore({ dataDir: dir });
  summary = await generateEnterprises({
    seed: 7,
    count: COUNT,
    store,
    asOf: AS_OF,
    batchSize: 1000,
    onProgress: (d) => progress.push(d),
  });
  for await (const r of store.enterprises.values()) records.push(r);
  for await (const t of store.groundTruth.values()) truths.set(t.uscc, t);
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

/** Multi-lending rule: applications to ≥ 4 distinct lenders within any 7 days. */
function isMultiBorrower(r: EnterpriseRecord): boolean {
  const apps = r.lending
    .filter((e) => e.type === 'application')
    .map((e) => ({ t: Date.parse(e.occurredAt), l: e.lenderId }));
  return apps.some(
    (a) =>
      new Set(apps.filter((b) => b.t >= a.t && b.t - a.t <= 7 * DAY).map((b) => b.l)).size >= 4,
  );
}

/** The naive detector: every firm that shares a phone, address or legal representative with another. */
function naivelyShared(rs: readonly EnterpriseRecord[]): Set<string> {
  const byValue = new Map<string, string[]>();
  for (const r of rs) {
    for (const key of [`p:${normalisePhone(r.phone)}`, `a:${normaliseAddress(r.address)}`, `l:${r.legalRepresentative}`])
      byValue.set(key, [...(byValue.get(key) ?? []), r.uscc]);
  }
  return new Set([...byValue.values()].filter((g) => g.length > 1).flat());
}

describe('generateEnterprises', () => {
  it('writes every enterprise and its ground truth, in batches with progress, and a meta record', async () => {
    expect(records).toHaveLength(COUNT);
    expect(truths.size).toBe(COUNT);
    expect(progress).toEqual([1000, 2000, 3000, 4000]);
    expect(await store.meta.get(SYNTHETIC_META_KEY)).toMatchObject({
      seed: 7,
      count: COUNT,
      asOf: AS_OF,
    });
    expect(summary.shells).toBe([...truths.values()].filter((t) => t.shell).length);
    expect(summary.ringMembers).toBeGreaterThan(0);
  });

  it('gives every enterprise a valid, unique USCC', () => {
    expect(records.filter((r) => !validateUscc(r.uscc).ok)).toEqual([]);
    expect(new Set(records.map((r) => r.uscc)).size).toBe(COUNT);
  });

  it('is deterministic: enterprise i depends only on (seed, i, asOf)', () => {
    const seed = seedHash(7);
    const asOfMs = Date.parse(`${AS_OF}T00:00:00Z`);
    const again = generateEnterprise(seed, 1234, asOfMs);
    expect(generateEnterprise(seed, 1234, asOfMs)).toEqual(again);
    expect(records.find((r) => r.uscc === again.record.uscc)).toEqual(again.record);
    expect(generateEnterprise(seedHash(8), 1234, asOfMs).record.uscc).not.toBe(again.record.uscc);
  });

  it('plants multi-borrowers that the 7-day rule finds exactly', () => {
    const detected = records
      .filter(isMultiBorrower)
      .map((r) => r.uscc)
      .sort();
    const planted = [...truths.values()]
      .filter((t) => t.multiBorrower)
      .map((t) => t.uscc)
      .sort();
    expect(planted.length).toBeGreaterThan(50);
    expect(detected).toEqual(planted);
  });

  it('plants fraud rings sharing two or more identifiers with variation, beside benign sharing a naive detector flags', () => {
    const planted = new Set([...truths.values()].filter((t) => t.ringId).map((t) => t.uscc));
    const benign = [...truths.values()].filter((t) => t.sharedGroup);
    expect(planted.size).toBeGreaterThanOrEqual(10);
    expect(new Set(benign.map((t) => t.sharedGroup))).toEqual(new Set(['agency', 'business_centre', 'group_company']));
    for (const t of truths.values()) if (t.ringId) expect(t.ringAttributes!.length).toBeGreaterThanOrEqual(1);
    const ringKinds = new Map<string, Set<string>>();
    for (const t of truths.values()) if (t.ringId) for (const k of t.ringAttributes!) ringKinds.set(t.ringId, new Set([...(ringKinds.get(t.ringId) ?? []), k]));
    expect([...ringKinds.values()].every((k) => k.size >= 2)).toBe(true);
    // Raw values vary in format: the same ring phone is written in more than one way.
    const ringPhones = records.filter((r) => planted.has(r.uscc) && r.phone.includes('-'));
    expect(ringPhones.length).toBeGreaterThan(0);
    // A naive detector flags every benign sharer: its precision is poor.
    const naive = naivelyShared(records);
    for (const t of benign) expect(naive.has(t.uscc)).toBe(true);
    expect([...naive].filter((u) => planted.has(u)).length / naive.size).toBeLessThan(0.3);
  });

  it('the connector\'s ring detector finds the planted rings with precision ≥ 0.95 and recall ≥ 0.9', () => {
    const detector = createRingDetector({}, Date.parse(`${AS_OF}T00:00:00Z`));
    for (const r of records) detector.addEnterprise(ringSubjectOf(r));
    const found = new Set(detector.detect().flatMap((ring) => ring.members));
    const planted = new Set([...truths.values()].filter((t) => t.ringId).map((t) => t.uscc));
    const hits = [...found].filter((u) => planted.has(u)).length;
    expect(hits / found.size).toBeGreaterThanOrEqual(0.95);
    expect(hits / planted.size).toBeGreaterThanOrEqual(0.9);
  });

  it('gives shells no staff, almost no tax and no water', () => {
    const shells = records.filter((r) => truths.get(r.uscc)?.shell);
    expect(shells.length).toBeGreaterThan(0);
    for (const s of shells) {
      expect(Math.max(...s.headcount)).toBeLessThanOrEqual(2);
      expect(s.taxPaid.reduce((a, b) => a + b, 0)).toBeLessThan(24 * 300);
      expect(s.waterTons.every((w) => w === 0)).toBe(true);
    }
  });

  it('exports lending events keyed by USCC and lender, filtered by lender', async () => {
    const all: { uscc: string; lenderId: string }[] = [];
    for await (const e of exportLendingEvents(store)) all.push(e);
    expect(all).toHaveLength(summary.lendingEvents);
    expect(new Set(all.map((e) => e.lenderId))).toEqual(new Set(LENDER_IDS));
    let fromLender2 = 0;
    for await (const e of exportLendingEvents(store, { lenderId: 'lender-2' })) {
      expect(e.lenderId).toBe('lender-2');
      fromLender2++;
    }
    expect(fromLender2).toBe(all.filter((e) => e.lenderId === 'lender-2').length);
  });

  it('gives every lender a history that follows the chaincode\'s lending lifecycle, dated within 10 years', async () => {
    const asOfEnd = Date.parse(`${AS_OF}T23:59:59.999Z`);
    for (const lenderId of LENDER_IDS) {
      const events: LifecycleEvent[] = [];
      for await (const e of exportLendingEvents(store, { lenderId })) events.push(e);
      expect(events.length).toBeGreaterThan(100);
      expect(lifecycleViolations(events, asOfEnd)).toEqual([]);
    }
  });

  it.each([
    ['an overdue without a loan', [ev('application', 1), ev('overdue', 2)], /event 1 \(overdue.*no open loan/],
    ['a loan without an application', [ev('loan', 1)], /no open application/],
    ['a second loan on one application', [ev('application', 1), ev('loan', 2), ev('loan', 3)], /event 2 .*no open application/],
    ['a repayment after settlement', [ev('application', 1), ev('loan', 2), ev('settled', 3), ev('repayment', 4)], /event 3 .*no open loan/],
    ['an event dated 0001-01-01', [{ ...ev('application', 1), occurredAt: '0001-01-01T00:00:00.000Z' }], /outside the last 10 years/],
    ['an event after as-of', [ev('application', -1)], /outside/],
  ])('the lifecycle check finds %s', (_what, events, reason) => {
    expect(lifecycleViolations(events, Date.parse('2025-06-30T00:00:00Z'))).toEqual([expect.stringMatching(reason)]);
  });

  it('batches a lender\'s stream without ever splitting one enterprise across batches', async () => {
    const events = [...'aaabbbbcdddde'].map((uscc, i) => ({ uscc, i }));
    async function* stream() {
      yield* events;
    }
    const batches: { uscc: string; i: number }[][] = [];
    for await (const b of batchesByEnterprise(stream(), 5)) batches.push(b);
    expect(batches.map((b) => b.map((e) => e.uscc).join(''))).toEqual(['aaa', 'bbbbc', 'dddde']);
    expect(batches.flat()).toEqual(events);
    const drain = async (): Promise<void> => {
      for await (const _ of batchesByEnterprise(stream(), 3));
    };
    await expect(drain()).rejects.toThrow(/enterprise b has 4 events/);
  });

  it.each([
    [{ count: -1 }],
    [{ count: 1.5 }],
    [{ seed: '' }],
    [{ asOf: '2025-13-45' }],
    [{ batchSize: 0 }],
  ])('refuses bad options %j with SYNTH_BAD_OPTIONS', async (bad) => {
    await expect(generateEnterprises({ seed: 1, count: 1, store, ...bad })).rejects.toMatchObject({
      code: 'SYNTH_BAD_OPTIONS',
    });
  });
});
