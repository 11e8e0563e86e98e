import { describe, expect, it } from 'vitest';
import { fabricWorkload } from '../../../src/bench/fabric/workload.js';
import { fabricResults } from '../../../src/bench/fabric/fabric-results.js';

describe('fabric workload', () => {
  const at = '2026-11-23T12:00:00.000Z';

  it('gives one lending event per transaction and the same bytes as the put value under a unique key', () => {
    const w = fabricWorkload(3, at);
    const [batchId, events] = w.lending(1);
    expect(batchId).toMatch(/^bench-[0-9a-f]{8}-1$/);
    expect(w.lending(2)[0]).not.toBe(batchId);
    expect(JSON.parse(events)).toEqual([{ subjectToken: expect.stringMatching(/^0x[0-9a-f]{64}$/), type: 'application', amount: 100_000, occurredAt: at }]);
    const [key, value] = w.put(1);
    expect(value).toBe(events);
    expect(new Set([0, 1, 2, 3, 4].map((i) => w.put(i)[0])).size).toBe(5);
    expect(w.lending(0)[1]).not.toBe(w.lending(1)[1]);
    expect(w.lending(4)[1]).toBe(w.lending(1)[1]); // subjects cycle after `size`
    expect(key).toMatch(/^bench~[0-9a-f]{8}~1$/);
  });

  it('refuses a bad size or time', () => {
    expect(() => fabricWorkload(0, at)).toThrow(RangeError);
    expect(() => fabricWorkload(2, 'yesterday')).toThrow(RangeError);
  });
});

describe('fabric results', () => {
  const stats = (tps: number, p50Ms: number) => ({ total: 300, inFlight: 32, tps, p50Ms, p95Ms: p50Ms * 2, seconds: 300 / tps });

  it('reports ours against the baseline, with the 80% throughput target', () => {
    const [tps, p50] = fabricResults(stats(80, 400), stats(100, 300));
    expect(tps).toMatchObject({ name: 'fabric.tps', value: 80, baselineValue: 100, ratio: 0.8, better: 'higher', targetMet: true });
    expect(p50).toMatchObject({ name: 'fabric.p50_ms', value: 400, baselineValue: 300, ratio: 0.75, better: 'lower' });
    expect(fabricResults(stats(79, 400), stats(100, 300))[0]).toMatchObject({ targetMet: false });
  });
});
