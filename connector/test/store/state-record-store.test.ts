import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorStore } from '../../src/store/index.js';
import { openTestStore, tempDir, TestClock } from './helpers.js';

let cleanup: () => Promise<void>;
let store: ConnectorStore;
const clock = new TestClock();
type State = 'REQUESTED' | 'AGREED' | 'TERMINATED';

beforeAll(async () => {
  const t = await tempDir();
  cleanup = t.cleanup;
  store = await openTestStore(t.dir, clock);
});
afterAll(async () => {
  await store.close();
  await cleanup();
});

describe('StateRecordStore', () => {
  it('creates, updates with compare-and-set, and indexes by state', async () => {
    const negotiations = store.negotiations.typed<State, { offer: string }>();
    const created = await negotiations.create('neg-1', 'REQUESTED', { offer: 'o1' });
    expect(created).toMatchObject({
      id: 'neg-1',
      state: 'REQUESTED',
      version: 1,
      createdAt: clock.t,
      updatedAt: clock.t,
    });
    clock.t += 500;
    const agreed = await negotiations.update('neg-1', {
      state: 'AGREED',
      expectedState: 'REQUESTED',
    });
    expect(agreed).toMatchObject({
      state: 'AGREED',
      version: 2,
      updatedAt: clock.t,
      data: { offer: 'o1' },
    });
    expect((await negotiations.listByState('REQUESTED')).map((r) => r.id)).toEqual([]);
    expect((await negotiations.listByState('AGREED')).map((r) => r.id)).toEqual(['neg-1']);
  });

  it('refuses a transition from an unexpected state or version with CONN_CONFLICT', async () => {
    const transfers = store.transfers.typed<State, number>();
    await transfers.create('t-1', 'REQUESTED', 0);
    await expect(
      transfers.update('t-1', { state: 'TERMINATED', expectedState: ['AGREED'] }),
    ).rejects.toMatchObject({
      code: 'CONN_CONFLICT',
    });
    await expect(transfers.update('t-1', { data: 1, expectedVersion: 7 })).rejects.toMatchObject({
      code: 'CONN_CONFLICT',
    });
    expect((await transfers.get('t-1'))?.version).toBe(1);
  });

  it('lets only one of two concurrent identical transitions win', async () => {
    const transfers = store.transfers.typed<State, number>();
    await transfers.create('t-race', 'REQUESTED', 0);
    const results = await Promise.allSettled([
      transfers.update('t-race', { state: 'AGREED', expectedState: 'REQUESTED' }),
      transfers.update('t-race', { state: 'AGREED', expectedState: 'REQUESTED' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('refuses duplicates, unknown ids and bad states with coded errors', async () => {
    await store.negotiations.create('neg-dup', 'REQUESTED', null);
    await expect(store.negotiations.create('neg-dup', 'REQUESTED', null)).rejects.toMatchObject({
      code: 'CONN_CONFLICT',
    });
    await expect(store.negotiations.update('neg-none', { state: 'X' })).rejects.toMatchObject({
      code: 'CONN_NOT_FOUND',
    });
    await expect(store.negotiations.create('neg-bad', 'has space', null)).rejects.toMatchObject({
      code: 'CONN_BAD_INPUT',
    });
  });
});
