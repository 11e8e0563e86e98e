import { describe, expect, it } from 'vitest';
import { createRingDetector, type RingApplication, type RingSubject } from '../../src/rings/index.js';

const NOW = Date.parse('2025-06-30T00:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (d: number, lender: string): RingApplication => ({ lender, atMs: NOW - d * DAY });

let n = 0;
/** A firm with its own unique identifiers unless overridden. */
function firm(overrides: Partial<RingSubject> = {}): RingSubject {
  n++;
  return { key: `F${String(n).padStart(5, '0')}`, phone: `1380000${String(n).padStart(4, '0')}`, address: `某区某路${n}号`, legalRepresentative: `P${n}`, applications: [], ...overrides };
}

/** A ring of five sharing a phone and an address with variation, applying within six days. */
function plantedRing(): RingSubject[] {
  return [
    firm({ phone: '17012345678', address: '天河区创业大道12号3栋', applications: [daysAgo(20, 'L1'), daysAgo(19, 'L2')] }),
    firm({ phone: '+86 170-1234-5678', address: '天河区 创业大道１２号３栋', applications: [daysAgo(18, 'L2'), daysAgo(18, 'L3')] }),
    firm({ address: ' 天河区创业大道12号3栋 ', phone: '170 1234 5678', applications: [daysAgo(16, 'L4')] }),
    firm({ phone: '17012345678', applications: [daysAgo(15, 'L1'), daysAgo(14, 'L5')] }), // own address
    firm({ address: '天河区创业大道12号3栋', applications: [daysAgo(21, 'L3')] }), // own phone
  ];
}

/** Forty clients of an accounting agency at one address and phone, applying at ordinary, scattered times. */
function agency(): RingSubject[] {
  return Array.from({ length: 40 }, (_, i) =>
    firm({ phone: '02088886666', address: '越秀区财务大厦8楼', applications: i < 6 ? [daysAgo(3 + i * 9, `L${(i % 5) + 1}`)] : [] }),
  );
}

describe('RingDetector', () => {
  it('finds a ring sharing two identifiers with variation and applying to several lenders in a burst', () => {
    const d = createRingDetector({}, NOW);
    const ring = plantedRing();
    for (const s of ring) d.addEnterprise(s);
    const rings = d.detect();
    expect(rings).toHaveLength(1);
    const found = d.ringOf(ring[0]!.key)!;
    expect(found).toMatchObject({ size: 5, sharedAttributes: ['phone', 'address'], lenders30d: 5, applications30d: 8 });
    expect(found.ringId).toMatch(/^ring-[0-9a-f]{16}$/);
    for (const s of ring) expect(d.ringOf(s.key)?.ringId).toBe(found.ringId);
  });

  it('does not flag benign sharing: an agency, a business centre, a group under one legal representative, a lone multi-borrower', () => {
    const d = createRingDetector({}, NOW);
    const benign = [
      ...agency(),
      // A business centre: thirty tenants at one address; four applied in the same week.
      ...Array.from({ length: 30 }, (_, i) => firm({ address: '南山区科技园商务中心A座', applications: i < 4 ? [daysAgo(10 + i, `L${i + 1}`)] : [] })),
      // A group of five firms under one legal representative, borrowing months apart.
      ...Array.from({ length: 5 }, (_, i) => firm({ legalRepresentative: 'PBOSS', applications: [daysAgo(5 + i * 25, `L${i + 1}`)] })),
      // One firm applying to five lenders in two days, sharing nothing.
      firm({ applications: ['L1', 'L2', 'L3', 'L4', 'L5'].map((l, i) => daysAgo(5 + (i % 2), l)) }),
    ];
    for (const s of benign) d.addEnterprise(s);
    expect(d.detect()).toEqual([]);
    for (const s of benign) expect(d.ringOf(s.key)).toBeUndefined();
  });

  it('does not flag a burst of firms that share an identifier but apply to fewer than three lenders', () => {
    const d = createRingDetector({}, NOW);
    const twins = Array.from({ length: 4 }, () => firm({ phone: '17099990000', applications: [daysAgo(12, 'L1'), daysAgo(11, 'L2')] }));
    for (const s of twins) d.addEnterprise(s);
    expect(d.detect()).toEqual([]);
  });

  it('ignores applications older than the lookback', () => {
    const d = createRingDetector({}, NOW);
    const old = plantedRing().map((s) => ({ ...s, applications: s.applications!.map((a) => ({ ...a, atMs: a.atMs - 90 * DAY })) }));
    for (const s of old) d.addEnterprise(s);
    expect(d.detect()).toEqual([]);
  });

  it('an application that closes a ring is found incrementally, without a new detection', () => {
    const d = createRingDetector({}, NOW);
    const ring = plantedRing();
    const [last, ...rest] = [ring[2]!, ...ring.filter((_, i) => i !== 2)];
    const others = [...rest.slice(0, 1), { ...rest[1]!, applications: [] }]; // two members applied so far
    const clients = agency();
    for (const s of [...others, { ...last, applications: [] }, ...clients]) d.addEnterprise(s);
    expect(d.detect()).toEqual([]);
    const update = d.addApplication(last, daysAgo(16, 'L4'));
    expect(update.ring).toBeUndefined();
    const closing = d.addApplication(rest[1]!, daysAgo(18, 'L3'));
    expect(closing).toMatchObject({ joined: true, ring: { size: 3, sharedAttributes: ['phone', 'address'] } });
    expect(d.ringOf(last.key)?.ringId).toBe(closing.ring!.ringId);
    // A firm of the agency applying again changes nothing.
    expect(d.addApplication(clients[7]!, daysAgo(17, 'L2')).ring).toBeUndefined();
    // An application older than the lookback adds no node.
    const nodes = d.stats.nodes;
    expect(d.addApplication(clients[8]!, daysAgo(200, 'L1'))).toEqual({ joined: false });
    expect(d.stats.nodes).toBe(nodes);
  });

  it('an update that splits a ring clears every former member, not only the enterprise updated', () => {
    const d = createRingDetector({}, NOW);
    const [a, b, c] = [20, 18, 16].map((day, i) => firm({ phone: '17066660000', applications: [daysAgo(day, `L${i + 1}`)] }));
    for (const s of [a!, b!, c!]) d.addEnterprise(s);
    expect(d.detect()).toHaveLength(1);
    // A late-reported earlier application of b moves its first application out of the burst.
    expect(d.addApplication(b!, daysAgo(45, 'L4'))).toEqual({ joined: false });
    expect(d.ringOf(a!.key)).toBeUndefined();
    expect(d.ringOf(c!.key)).toBeUndefined();
  });
});
