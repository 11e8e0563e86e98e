import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConnectorError } from '../../src/domain/errors.js';
import { openStore, type ConnectorStore } from '../../src/store/index.js';
import { openTestStore, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let store: ConnectorStore;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  store = await openTestStore(dir);
});
afterAll(async () => {
  await store.close();
  await cleanup();
});

describe('JsonCollection', () => {
  it('round-trips JSON values and returns undefined for absent keys', async () => {
    await store.meta.put('a', { x: [1, 2], y: 'z' });
    expect(await store.meta.get('a')).toEqual({ x: [1, 2], y: 'z' });
    expect(await store.meta.get('absent')).toBeUndefined();
    expect(await store.meta.has('a')).toBe(true);
    await store.meta.del('a');
    expect(await store.meta.has('a')).toBe(false);
  });

  it('keeps kinds apart: the same key in two sublevels holds two values', async () => {
    await store.meta.put('k', 1);
    await store.groundTruth.putMany([
      ['k', { uscc: 'k', trajectory: 'steady', shell: false, multiBorrower: false }],
    ]);
    expect(await store.meta.get('k')).toBe(1);
    expect((await store.groundTruth.get('k'))?.trajectory).toBe('steady');
  });

  it('iterates in key order within a range, with a limit', async () => {
    await store.meta.putMany([
      ['r-3', 3],
      ['r-1', 1],
      ['r-2', 2],
      ['s-1', 9],
    ]);
    const got: [string, unknown][] = [];
    for await (const e of store.meta.entries({ gte: 'r-', lt: 'r.', limit: 2 })) got.push(e);
    expect(got).toEqual([
      ['r-1', 1],
      ['r-2', 2],
    ]);
    expect(await store.meta.count({ gte: 'r-', lt: 'r.' })).toBe(3);
  });

  it('refuses empty keys with CONN_BAD_INPUT', async () => {
    await expect(store.meta.put('', 1)).rejects.toMatchObject({
      name: 'ConnectorError',
      code: 'CONN_BAD_INPUT',
    });
  });
});

describe('openStore', () => {
  it('refuses a second open of a locked store with CONN_STORE_UNAVAILABLE', async () => {
    await expect(openStore({ dataDir: dir })).rejects.toMatchObject({
      code: 'CONN_STORE_UNAVAILABLE',
    });
  });

  it('refuses a missing dataDir with CONN_BAD_INPUT', async () => {
    await expect(openStore({ dataDir: '' })).rejects.toMatchObject({ code: 'CONN_BAD_INPUT' });
  });

  it('fails with CONN_STORE_UNAVAILABLE after close', async () => {
    const { dir: d2, cleanup: c2 } = await tempDir();
    const s = await openStore({ dataDir: d2 });
    await s.close();
    const e = await s.meta.get('x').catch((err: unknown) => err);
    expect(isConnectorError(e, 'CONN_STORE_UNAVAILABLE')).toBe(true);
    await c2();
  });
});
