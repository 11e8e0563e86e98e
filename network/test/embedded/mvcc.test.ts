import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLedgerError } from '../../src/errors.js';
import type { LedgerClient } from '../../src/ledger-client.js';
import type { EmbeddedIdentity } from '../../src/embedded/identity.js';
import type { EmbeddedLedger } from '../../src/embedded/ledger.js';
import { newSignedProposal } from '../../src/embedded/proposal.js';
import { openKvLedger, tempDir, twoOrgs } from '../support/embedded.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let ledger: EmbeddedLedger;
let alice: EmbeddedIdentity;
let bob: EmbeddedIdentity;
let client: LedgerClient;

beforeAll(async () => {
  dir = await tempDir();
  ({ alice, bob } = await twoOrgs());
  // Blocks are cut by count only, so a test decides which transactions share a block.
  ledger = await openKvLedger(dir.path, { blockMaxTransactions: 2, blockMaxWaitMs: 60_000 });
  client = ledger.connect(alice);
});
afterAll(async () => {
  await ledger.close();
  await dir.remove();
});

const endorse = (fn: string, args: string[], who: EmbeddedIdentity = alice) =>
  ledger.endorse(newSignedProposal(who, { channel: 'xinlian', chaincode: 'xinlian' }, fn, args, new Date()), 'submit');

describe('embedded ledger: execute-order-validate', () => {
  it('invalidates the second of two transactions in a block that read the same key (MVCC)', async () => {
    const a = await endorse('kv:Incr', ['c1']);
    const b = await endorse('kv:Incr', ['c1'], bob);
    const [oa, ob] = await Promise.all([ledger.order(a), ledger.order(b)]);
    expect(oa).toEqual({ blockNumber: ob.blockNumber, code: 'VALID' });
    expect(ob.code).toBe('MVCC_READ_CONFLICT');
    const info = await client.getTransaction(b.signed.proposal.txId);
    expect(info).toMatchObject({ validationCode: 'MVCC_READ_CONFLICT', creator: { mspId: 'Org2MSP', clientId: bob.clientId } });
  });

  it('invalidates a transaction whose read was overtaken by a commit in an earlier block', async () => {
    const stale = await endorse('kv:Incr', ['c2']);
    const [first, second] = await Promise.all([endorse('kv:Incr', ['c2']), endorse('kv:Put', ['other', 'x'])]);
    await Promise.all([ledger.order(first), ledger.order(second)]);
    const [outcome] = await Promise.all([ledger.order(stale), ledger.order(await endorse('kv:Put', ['pad', 'x']))]);
    expect(outcome.code).toBe('MVCC_READ_CONFLICT');
    expect(await client.evaluate('kv:Get', ['c2'])).toBe('1');
  });

  it('lets blind writes to the same key both commit; the later wins and both are in history', async () => {
    const a = await endorse('kv:Put', ['w1', 'first']);
    const b = await endorse('kv:Put', ['w1', 'second']);
    const outcomes = await Promise.all([ledger.order(a), ledger.order(b)]);
    expect(outcomes.map((o) => o.code)).toEqual(['VALID', 'VALID']);
    expect(await client.evaluate('kv:Get', ['w1'])).toBe('second');
    expect(JSON.parse(await client.evaluate('kv:History', ['w1']))).toHaveLength(2);
  });

  it('invalidates a range read when a key appears in the range before it commits (phantom)', async () => {
    const count = await endorse('kv:CountRange', ['ph-a', 'ph-z', 'ph-count']);
    const insert = await endorse('kv:Put', ['ph-m', 'new']);
    const [oi, oc] = await Promise.all([ledger.order(insert), ledger.order(count)]);
    expect(oi.code).toBe('VALID');
    expect(oc.code).toBe('PHANTOM_READ_CONFLICT');
    expect((await client.getTransaction(count.signed.proposal.txId))?.validationCode).toBe('MVCC_READ_CONFLICT');
  });

  it('only validates the part of a range the chaincode read', async () => {
    const d1 = await endorse('kv:Put', ['pr-a', 'x']);
    const d2 = await endorse('kv:Put', ['pr-c', 'y']);
    await Promise.all([ledger.order(d1), ledger.order(d2)]);
    const first = await endorse('kv:FirstInRange', ['pr-a', 'pr-z', 'pr-first']);
    const after = await endorse('kv:Put', ['pr-d', 'z']);
    const [oa, of] = await Promise.all([ledger.order(after), ledger.order(first)]);
    expect([oa.code, of.code]).toEqual(['VALID', 'VALID']);
  });

  it('reports an invalidated submit as LEDGER_MVCC_READ_CONFLICT with its tx id', async () => {
    const racers = await Promise.allSettled([client.submit('kv:Incr', ['c3']), ledger.connect(bob).submit('kv:Incr', ['c3'])]);
    const failed = racers.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    const reason = (failed[0] as PromiseRejectedResult).reason as { txId?: string };
    expect(isLedgerError(reason, 'LEDGER_MVCC_READ_CONFLICT')).toBe(true);
    expect(reason.txId).toMatch(/^[0-9a-f]{64}$/);
    expect(await client.evaluate('kv:Get', ['c3'])).toBe('1');
  });
});
