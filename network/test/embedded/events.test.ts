import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChaincodeEvent, Checkpoint, CloseableAsyncIterable } from '../../src/ledger-client.js';
import type { EmbeddedIdentity } from '../../src/embedded/identity.js';
import { newSignedProposal } from '../../src/embedded/proposal.js';
import { openKvLedger, tempDir, twoOrgs } from '../support/embedded.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let alice: EmbeddedIdentity;

beforeAll(async () => {
  dir = await tempDir();
  ({ alice } = await twoOrgs());
});
afterAll(async () => {
  await dir.remove();
});

async function take(stream: CloseableAsyncIterable<ChaincodeEvent>, n: number): Promise<ChaincodeEvent[]> {
  const out: ChaincodeEvent[] = [];
  const it = stream[Symbol.asyncIterator]();
  while (out.length < n) {
    const next = await it.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

describe('embedded ledger: chaincode events', () => {
  it('replays from a start block, follows live commits, skips invalid transactions, resumes from a checkpoint after restart', async () => {
    let ledger = await openKvLedger(dir.path);
    let client = ledger.connect(alice);
    const live = await client.chaincodeEvents();
    const c1 = await client.submit('kv:Incr', ['n']);
    const c2 = await client.submit('kv:Put', ['k', 'v']);
    expect((await take(live, 2)).map((e) => [e.eventName, e.transactionId])).toEqual([
      ['incr', c1.txId],
      ['put', c2.txId],
    ]);
    live.close();

    // An MVCC-invalidated transaction is committed but its event is not delivered.
    const endorse = () => ledger.endorse(newSignedProposal(alice, { channel: 'xinlian', chaincode: 'xinlian' }, 'kv:Incr', ['n'], new Date()), 'submit');
    const racers = await Promise.all([endorse(), endorse(), endorse()]);
    const outcomes = await Promise.all(racers.map((t) => ledger.order(t)));
    expect(outcomes.map((o) => o.code)).toEqual(['VALID', 'MVCC_READ_CONFLICT', 'MVCC_READ_CONFLICT']);
    const valid = 1;
    const replay = await client.chaincodeEvents({ startBlock: 0n });
    const all = await take(replay, 2 + valid);
    replay.close();
    expect(all.filter((e) => e.eventName === 'incr').map((e) => e.payload)).toEqual(['1', ...Array.from({ length: valid }, (_, i) => String(i + 2))]);

    const checkpoint: Checkpoint = { blockNumber: c2.blockNumber, transactionId: c2.txId };
    await ledger.close();

    ledger = await openKvLedger(dir.path);
    client = ledger.connect(alice);
    const resumed = await client.chaincodeEvents({ checkpoint });
    const after = await client.submit('kv:Put', ['after', 'restart']);
    const events = await take(resumed, valid + 1);
    expect(events.map((e) => e.eventName)).toEqual([...Array.from({ length: valid }, () => 'incr'), 'put']);
    expect(events.at(-1)).toEqual({
      blockNumber: after.blockNumber,
      transactionId: after.txId,
      chaincodeName: 'xinlian',
      eventName: 'put',
      payload: '{"key":"after","value":"restart"}',
    });
    expect(events.every((e) => e.blockNumber > c2.blockNumber)).toBe(true);

    // Closing the stream ends a pending read.
    const pending = resumed[Symbol.asyncIterator]().next();
    resumed.close();
    expect(await pending).toEqual({ value: undefined, done: true });
    await ledger.close();
  });

  it('ends event streams and refuses calls once the ledger is closed', async () => {
    const sub = await tempDir();
    const ledger = await openKvLedger(sub.path);
    const client = ledger.connect(alice);
    const stream = await client.chaincodeEvents();
    const pending = stream[Symbol.asyncIterator]().next();
    await ledger.close();
    expect(await pending).toEqual({ value: undefined, done: true });
    await expect(client.submit('kv:Put', ['a', 'b'])).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
    await expect(client.evaluate('kv:Get', ['a'])).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
    expect(() => ledger.connect(alice)).toThrow(expect.objectContaining({ code: 'LEDGER_UNAVAILABLE' }));
    await sub.remove();
  });
});
