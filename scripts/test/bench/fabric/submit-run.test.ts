import { describe, expect, it } from 'vitest';
import type { ProgressReporter } from '../../../src/demo/bootstrap.js';
import { submitRun } from '../../../src/bench/fabric/submit-run.js';

function recordingProgress(): { progress: ProgressReporter; updates: number[]; stopped: () => boolean } {
  const updates: number[] = [];
  let stopped = false;
  const progress: ProgressReporter = () => ({ update: (n) => updates.push(n), stop: () => { stopped = true; } });
  return { progress, updates, stopped: () => stopped };
}

describe('fabric submitRun', () => {
  it('submits every transaction with its own arguments, never more than inFlight at once', async () => {
    const seen: string[] = [];
    let running = 0;
    let peak = 0;
    const client = {
      submit: async (name: string, args: readonly string[]) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        running--;
        seen.push(`${name}:${args.join(',')}`);
        return { result: '', txId: 'tx', blockNumber: 1n };
      },
    };
    const p = recordingProgress();
    const stats = await submitRun({ progress: p.progress }, { client, name: 'put', args: (i) => [`k${i}`, 'v'], total: 25, inFlight: 4, label: 'x' });
    expect(seen).toHaveLength(25);
    expect(new Set(seen)).toEqual(new Set(Array.from({ length: 25 }, (_, i) => `put:k${i},v`)));
    expect(peak).toBe(4);
    expect(stats).toMatchObject({ total: 25, inFlight: 4 });
    expect(stats.tps).toBeGreaterThan(0);
    expect(stats.p50Ms).toBeGreaterThanOrEqual(0);
    expect(stats.p95Ms).toBeGreaterThanOrEqual(stats.p50Ms);
    expect(p.updates.at(-1)).toBe(25);
    expect(p.stopped()).toBe(true);
  });

  it('rethrows the first failed submit as the client raised it and stops the progress bar', async () => {
    const refusal = Object.assign(new Error('[CC_FORBIDDEN] no'), { name: 'ChaincodeError', code: 'CC_FORBIDDEN' });
    const client = {
      submit: async (_name: string, args: readonly string[]) => {
        if (args[0] === '3') throw refusal;
        return { result: '', txId: 'tx', blockNumber: 1n };
      },
    };
    const p = recordingProgress();
    const run = submitRun({ progress: p.progress }, { client, name: 'put', args: (i) => [String(i)], total: 10, inFlight: 2, label: 'x' });
    await expect(run).rejects.toBe(refusal);
    expect(p.stopped()).toBe(true);
  });

  it('refuses a run without transactions or without concurrency', async () => {
    const client = { submit: async () => ({ result: '', txId: 'tx', blockNumber: 1n }) };
    const { progress } = recordingProgress();
    await expect(submitRun({ progress }, { client, name: 'put', args: () => [], total: 0, inFlight: 1, label: 'x' })).rejects.toThrow(RangeError);
    await expect(submitRun({ progress }, { client, name: 'put', args: () => [], total: 5, inFlight: 1.5, label: 'x' })).rejects.toThrow(RangeError);
  });
});
