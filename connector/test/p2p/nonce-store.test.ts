import { describe, expect, it } from 'vitest';
import { createMemoryNonceStore } from '../../src/p2p/index.js';

describe('createMemoryNonceStore', () => {
  it('reports a nonce as replayed until it expires, then forgets it', async () => {
    let now = 1_000;
    const store = createMemoryNonceStore({ now: () => now });
    expect(await store.seen('n1', 5_000)).toBe(false);
    expect(await store.seen('n1', 5_000)).toBe(true);
    expect(await store.seen('n2', 5_000)).toBe(false);
    now = 5_000;
    expect(await store.seen('n1', 9_000)).toBe(false);
  });

  it('of concurrent calls with one nonce, exactly one is first', async () => {
    const store = createMemoryNonceStore();
    const results = await Promise.all(Array.from({ length: 10 }, () => store.seen('same', Date.now() + 60_000)));
    expect(results.filter((replay) => !replay)).toHaveLength(1);
  });

  it('fails closed when full of live nonces, and frees room as they expire', async () => {
    let now = 0;
    const store = createMemoryNonceStore({ now: () => now, maxEntries: 2 });
    expect(await store.seen('a', 100)).toBe(false);
    expect(await store.seen('b', 100)).toBe(false);
    expect(await store.seen('c', 100)).toBe(true);
    now = 100;
    expect(await store.seen('c', 200)).toBe(false);
  });
});
