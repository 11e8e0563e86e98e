import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorStore } from '../../src/store/index.js';
import { openTestStore, tempDir, TestClock } from './helpers.js';

let cleanup: () => Promise<void>;
let store: ConnectorStore;
const clock = new TestClock();

beforeAll(async () => {
  const t = await tempDir();
  cleanup = t.cleanup;
  store = await openTestStore(t.dir, clock);
});
afterAll(async () => {
  await store.close();
  await cleanup();
});

describe('NonceStore.seen', () => {
  it('is false the first time and true for a replay before expiry', async () => {
    expect(await store.nonces.seen('n-1', clock.t + 30_000)).toBe(false);
    expect(await store.nonces.seen('n-1', clock.t + 30_000)).toBe(true);
  });

  it('forgets a nonce at its expiry', async () => {
    const exp = clock.t + 10_000;
    expect(await store.nonces.seen('n-2', exp)).toBe(false);
    clock.t = exp - 1;
    expect(await store.nonces.seen('n-2', exp)).toBe(true);
    clock.t = exp;
    expect(await store.nonces.seen('n-2', exp + 5_000)).toBe(false);
  });

  it('does not record a nonce whose message already expired', async () => {
    expect(await store.nonces.seen('n-old', clock.t)).toBe(false);
    expect(await store.nonces.seen('n-old', clock.t + 1000)).toBe(false);
  });

  it('lets exactly one of two concurrent calls through', async () => {
    const results = await Promise.all([
      store.nonces.seen('n-race', clock.t + 5000),
      store.nonces.seen('n-race', clock.t + 5000),
    ]);
    expect(results.sort()).toEqual([false, true]);
  });

  it('prunes expired nonces and keeps live ones', async () => {
    await store.nonces.seen('p-1', clock.t + 1000);
    await store.nonces.seen('p-2', clock.t + 100_000);
    const before = await store.nonces.size();
    clock.t += 50_000;
    const pruned = await store.nonces.prune();
    expect(pruned).toBeGreaterThanOrEqual(1);
    expect(await store.nonces.size()).toBe(before - pruned);
    expect(await store.nonces.seen('p-2', clock.t + 100_000)).toBe(true);
  });

  it.each([
    ['', 1],
    ['x'.repeat(257), 1],
    ['ok', Number.NaN],
    ['ok', Number.POSITIVE_INFINITY],
  ])('refuses nonce %j with expiry %s as CONN_BAD_INPUT', async (nonce, exp) => {
    await expect(store.nonces.seen(nonce, exp)).rejects.toMatchObject({ code: 'CONN_BAD_INPUT' });
  });
});
