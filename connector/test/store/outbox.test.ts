import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, tempDir, TestClock } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe('Outbox', () => {
  it('lists pending entries in enqueue order and drops them once done', async () => {
    const clock = new TestClock();
    const store = await openTestStore(dir, clock);
    try {
      await store.outbox.enqueue('w-b', { fn: 'receipts:Record', args: ['1'] });
      clock.t += 1;
      await store.outbox.enqueue('w-a', { fn: 'lending:Record', args: ['2'] });
      expect((await store.outbox.pending()).map((e) => e.id)).toEqual(['w-b', 'w-a']);
      const done = await store.outbox.markDone('w-b', { txId: 'tx1' });
      expect(done).toMatchObject({
        status: 'done',
        result: { txId: 'tx1' },
        attempts: 1,
        doneAt: clock.t,
      });
      expect((await store.outbox.pending()).map((e) => e.id)).toEqual(['w-a']);
    } finally {
      await store.close();
    }
  });

  it('is idempotent by id: the same id returns the first entry', async () => {
    const store = await openTestStore(dir);
    try {
      const first = await store.outbox.enqueue('w-idem', { n: 1 });
      const again = await store.outbox.enqueue('w-idem', { n: 2 });
      expect(again).toEqual(first);
      const both = await Promise.all([
        store.outbox.enqueue('w-race', 1),
        store.outbox.enqueue('w-race', 2),
      ]);
      expect(both[1]).toEqual(both[0]);
    } finally {
      await store.close();
    }
  });

  it('survives a reopen: pending entries are still there and sequence numbers continue', async () => {
    let store = await openTestStore(dir);
    const before = await store.outbox.enqueue('w-durable', { x: 1 });
    await store.close();
    store = await openTestStore(dir);
    try {
      expect((await store.outbox.pending()).map((e) => e.id)).toContain('w-durable');
      const after = await store.outbox.enqueue('w-next', { x: 2 });
      expect(after.seq).toBeGreaterThan(before.seq);
      const ids = (await store.outbox.pending()).map((e) => e.id);
      expect(ids.indexOf('w-next')).toBeGreaterThan(ids.indexOf('w-durable'));
    } finally {
      await store.close();
    }
  });

  it('records failures and keeps the entry pending', async () => {
    const store = await openTestStore(dir);
    try {
      await store.outbox.enqueue('w-fail', {});
      const failed = await store.outbox.markFailed('w-fail', 'LEDGER_UNAVAILABLE');
      expect(failed).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastError: 'LEDGER_UNAVAILABLE',
      });
      expect((await store.outbox.pending(1000)).some((e) => e.id === 'w-fail')).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('refuses unknown ids and non-JSON items with coded errors', async () => {
    const store = await openTestStore(dir);
    try {
      await expect(store.outbox.markDone('nope')).rejects.toMatchObject({ code: 'CONN_NOT_FOUND' });
      await expect(store.outbox.enqueue('w-bad', undefined)).rejects.toMatchObject({
        code: 'CONN_BAD_INPUT',
      });
      await expect(store.outbox.enqueue('w-big', 10n)).rejects.toMatchObject({
        code: 'CONN_BAD_INPUT',
      });
    } finally {
      await store.close();
    }
  });
});
