import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isChaincodeError, isLedgerError } from '../../src/errors.js';
import type { LedgerClient } from '../../src/ledger-client.js';
import type { EmbeddedIdentity } from '../../src/embedded/identity.js';
import type { EmbeddedLedger } from '../../src/embedded/ledger.js';
import { openKvLedger, tempDir, twoOrgs } from '../support/embedded.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let ledger: EmbeddedLedger;
let alice: EmbeddedIdentity;
let client: LedgerClient;
const fixedNow = new Date('2025-03-01T08:30:15.250Z');

beforeAll(async () => {
  dir = await tempDir();
  ({ alice } = await twoOrgs());
  ledger = await openKvLedger(dir.path);
  client = ledger.connect(alice, { clock: () => fixedNow });
});
afterAll(async () => {
  await ledger.close();
  await dir.remove();
});

const put = (k: string, v: string) => client.submit('kv:Put', [k, v]);
const json = async (name: string, args: string[]): Promise<unknown> => JSON.parse(await client.evaluate(name, args));

describe('embedded stub: Fabric semantics', () => {
  it('gives the chaincode its caller, tx id, channel and client-set timestamp as on Fabric', async () => {
    const { result, txId } = await client.submit('kv:Whoami', []);
    expect(JSON.parse(result)).toEqual({
      mspId: 'Org1MSP',
      id: alice.clientId,
      creatorMsp: 'Org1MSP',
      txId,
      channel: 'xinlian',
      seconds: Math.floor(fixedNow.getTime() / 1000),
      nanos: 250_000_000,
      date: fixedNow.toISOString(),
      fn: 'kv:Whoami',
    });
    expect(alice.clientId).toMatch(/^x509::\/CN=alice\/OU=client\/O=Org1MSP::\/CN=ca\.Org1MSP\/O=Org1MSP$/);
  });

  it('stores and reads state; an evaluation commits nothing', async () => {
    await put('a1', 'one');
    expect(await client.evaluate('kv:Get', ['a1'])).toBe('one');
    const height = await client.getHeight();
    await client.evaluate('kv:Put', ['a2', 'never']);
    expect(await client.getHeight()).toBe(height);
    expect(await client.evaluate('kv:Get', ['a2'])).toBe('');
  });

  it('does not let a transaction read its own uncommitted write (Fabric quirk)', async () => {
    await put('q1', 'old');
    const { result } = await client.submit('kv:PutAndRead', ['q1', 'new']);
    expect(result).toBe('old');
    expect(await client.evaluate('kv:Get', ['q1'])).toBe('new');
  });

  it('treats putState of an empty value as a delete, as Fabric\'s write set does', async () => {
    await put('e1', 'x');
    await put('e1', '');
    const history = (await json('kv:History', ['e1'])) as { isDelete: boolean }[];
    expect(history.map((h) => h.isDelete)).toEqual([true, false]);
  });

  it('keeps composite keys out of plain range queries and finds them by partial key', async () => {
    await put('r1', '1');
    await put('r2', '2');
    await client.submit('kv:PutComposite', ['loan', '["s1","l1"]', 'A']);
    await client.submit('kv:PutComposite', ['loan', '["s1","l2"]', 'B']);
    await client.submit('kv:PutComposite', ['loan', '["s2","l3"]', 'C']);
    const all = (await json('kv:Range', ['', ''])) as [string, string][];
    expect(all.every(([k]) => !k.startsWith('\u0000'))).toBe(true);
    expect(all.map(([k]) => k)).toEqual(expect.arrayContaining(['r1', 'r2']));
    expect(await json('kv:Range', ['r1', 'r2'])).toEqual([['r1', '1']]);
    expect(await json('kv:Partial', ['loan', '["s1"]'])).toEqual([['s1', 'l1'], ['s1', 'l2']]);
    expect(await json('kv:Partial', ['loan', '[]'])).toHaveLength(3);
  });

  it('refuses a range query whose bounds fall in the composite-key namespace', async () => {
    await expect(client.evaluate('kv:Range', ['\u0000loan', ''])).rejects.toMatchObject({ code: 'LEDGER_ENDORSEMENT_FAILED' });
  });

  it('paginates in evaluations with Fabric\'s bookmark (the next key, empty at the end)', async () => {
    for (const k of ['p1', 'p2', 'p3']) await put(k, k);
    expect(await json('kv:Page', ['p1', 'p9', '2', ''])).toEqual({ keys: ['p1', 'p2'], fetchedRecordsCount: 2, bookmark: 'p3' });
    expect(await json('kv:Page', ['p1', 'p9', '2', 'p3'])).toEqual({ keys: ['p3'], fetchedRecordsCount: 1, bookmark: '' });
    const page = (await json('kv:PagePartial', ['loan', '[]', '2', ''])) as { keys: string[][]; bookmark: string };
    expect(page.keys).toEqual([['s1', 'l1'], ['s1', 'l2']]);
    expect(page.bookmark.startsWith('\u0000loan\u0000s2')).toBe(true);
  });

  it('refuses paginated queries in submitted transactions and after a write', async () => {
    await expect(client.submit('kv:Page', ['p1', 'p9', '2', ''])).rejects.toMatchObject({ code: 'LEDGER_ENDORSEMENT_FAILED' });
    await expect(client.evaluate('kv:PutThenPage', ['z'])).rejects.toMatchObject({ code: 'LEDGER_ENDORSEMENT_FAILED' });
  });

  it('returns a key\'s history newest first with tx ids, timestamps and deletes', async () => {
    const t1 = await put('h1', 'v1');
    const t2 = await put('h1', 'v2');
    const t3 = await client.submit('kv:Del', ['h1']);
    const history = await json('kv:History', ['h1']);
    const seconds = Math.floor(fixedNow.getTime() / 1000);
    expect(history).toEqual([
      { txId: t3.txId, isDelete: true, value: '', seconds },
      { txId: t2.txId, isDelete: false, value: 'v2', seconds },
      { txId: t1.txId, isDelete: false, value: 'v1', seconds },
    ]);
  });

  it('keeps one event per transaction: setEvent overwrites', async () => {
    const { blockNumber, txId } = await client.submit('kv:TwoEvents', []);
    const events = await client.chaincodeEvents({ startBlock: blockNumber });
    const first = await events[Symbol.asyncIterator]().next();
    events.close();
    expect(first.value).toEqual({ blockNumber, transactionId: txId, chaincodeName: 'xinlian', eventName: 'second', payload: '2' });
  });

  it('maps a coded chaincode error to ChaincodeError and an uncoded one to LEDGER_ENDORSEMENT_FAILED', async () => {
    const coded = await client.submit('kv:Fail', ['[CC_NOT_FOUND] no such thing']).catch((e: unknown) => e);
    expect(isChaincodeError(coded, 'CC_NOT_FOUND')).toBe(true);
    expect(coded).toMatchObject({ message: '[CC_NOT_FOUND] no such thing', recorded: false });
    const plain = await client.evaluate('kv:Fail', ['boom']).catch((e: unknown) => e);
    expect(isLedgerError(plain, 'LEDGER_ENDORSEMENT_FAILED')).toBe(true);
    const unknown = await client.evaluate('kv:NoSuchFunction', []).catch((e: unknown) => e);
    expect(isLedgerError(unknown, 'LEDGER_ENDORSEMENT_FAILED')).toBe(true);
  });

  it('commits a denial and throws it as a recorded ChaincodeError', async () => {
    const err = await client.submit('kv:Deny', ['CC_FORBIDDEN']).catch((e: unknown) => e);
    expect(isChaincodeError(err, 'CC_FORBIDDEN')).toBe(true);
    const { txId, blockNumber, recorded } = err as { txId: string; blockNumber: bigint; recorded: boolean };
    expect(recorded).toBe(true);
    expect(await client.evaluate('kv:Get', [`denial~${txId}`])).toBe('[CC_FORBIDDEN] not allowed');
    expect(await client.getTransaction(txId)).toMatchObject({ blockNumber, validationCode: 'VALID', function: 'kv:Deny' });
  });

  it('refuses bad client arguments with LEDGER_BAD_REQUEST', async () => {
    await expect(client.submit('', [])).rejects.toMatchObject({ code: 'LEDGER_BAD_REQUEST' });
    await expect(client.submit('kv:Put', [1 as unknown as string])).rejects.toMatchObject({ code: 'LEDGER_BAD_REQUEST' });
    await expect(client.evaluate('kv:Get', ['\uD800bad'])).rejects.toMatchObject({ code: 'LEDGER_BAD_REQUEST' });
  });
});
