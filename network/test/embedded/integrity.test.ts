import { ClassicLevel } from 'classic-level';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataHashOf } from '../../src/embedded/block.js';
import { createEmbeddedIdentity, type EmbeddedIdentity } from '../../src/embedded/identity.js';
import { openKvLedger, tempDir } from '../support/embedded.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let alice: EmbeddedIdentity;

beforeAll(async () => {
  dir = await tempDir();
  alice = await createEmbeddedIdentity({ mspId: 'Org1MSP', name: 'alice', dir: join(dir.path, 'msp') });
});
afterAll(async () => {
  await dir.remove();
});

/** Edits one stored block by hand, with the ledger closed, straight in LevelDB. */
async function editBlock(dataDir: string, n: number, edit: (block: Record<string, unknown>) => void): Promise<void> {
  const db = new ClassicLevel<string, string>(dataDir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  const key = `b:${n.toString(16).padStart(12, '0')}`;
  const block = JSON.parse((await db.get(key))!) as Record<string, unknown>;
  edit(block);
  await db.put(key, JSON.stringify(block));
  await db.close();
}

type Tx = { proposal: { args: string[] }; validationCode: string; signature: string };
const txsOf = (b: Record<string, unknown>): Tx[] => (b.data as { transactions: Tx[] }).transactions;

describe('embedded ledger: identities and integrity', () => {
  it('stores an identity on disk (key 0600) and loads the same one again', async () => {
    const again = await createEmbeddedIdentity({ mspId: 'Org1MSP', name: 'alice', dir: join(dir.path, 'msp') });
    expect(again.clientId).toBe(alice.clientId);
    expect(again.certificatePem).toBe(alice.certificatePem);
    expect((await stat(join(dir.path, 'msp', 'Org1MSP', 'users', 'alice', 'key.pem'))).mode & 0o777).toBe(0o600);
    await expect(createEmbeddedIdentity({ mspId: 'bad msp', name: 'x' })).rejects.toMatchObject({ code: 'LEDGER_BAD_REQUEST' });
  });

  it('chains blocks by hash and passes the integrity check', async () => {
    const data = join(dir.path, 'chain');
    const ledger = await openKvLedger(data);
    const client = ledger.connect(alice);
    const a = await client.submit('kv:Put', ['x', '1']);
    await client.submit('kv:Put', ['y', '2']);
    const height = await client.getHeight();
    const blocks = await Promise.all(Array.from({ length: Number(height) }, (_, i) => client.getBlock(BigInt(i))));
    for (let i = 1; i < blocks.length; i++) expect(blocks[i]!.previousHash).toBe(blocks[i - 1]!.hash);
    expect(blocks[Number(a.blockNumber)]!.transactions[0]).toMatchObject({ txId: a.txId, validationCode: 'VALID', creator: { mspId: 'Org1MSP' } });
    expect(await client.getBlock(height)).toBeUndefined();
    const report = await client.checkIntegrity();
    expect(report).toEqual({ ok: true, height: Number(height), headHash: blocks.at(-1)!.hash });
    await ledger.close();
  });

  it.each([
    ['an argument', (b: Record<string, unknown>) => void (txsOf(b)[0]!.proposal.args[1] = '999'), /data hash/],
    ['a validation code', (b: Record<string, unknown>) => void (txsOf(b)[0]!.validationCode = 'MVCC_READ_CONFLICT'), /data hash/],
    ['the header', (b: Record<string, unknown>) => void ((b.header as { previousHash: string }).previousHash = '00'), /previous hash/],
  ])('detects %s edited by hand, naming the block', async (_what, edit, reason) => {
    const data = join(dir.path, `tamper-${String(_what).replace(/\s/g, '-')}`);
    let ledger = await openKvLedger(data);
    const client = ledger.connect(alice);
    const { blockNumber } = await client.submit('kv:Put', ['x', '1']);
    await client.submit('kv:Put', ['y', '2']);
    await ledger.close();
    await editBlock(data, Number(blockNumber), edit);
    ledger = await openKvLedger(data);
    const report = await ledger.checkIntegrity();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(expect.arrayContaining([{ block: Number(blockNumber), reason: expect.stringMatching(reason) }]));
    await ledger.close();
  });

  it('detects a forged signature even when the hashes are recomputed', async () => {
    const data = join(dir.path, 'forged');
    const ledger = await openKvLedger(data);
    const client = ledger.connect(alice);
    const { blockNumber } = await client.submit('kv:Put', ['x', '1']);
    const block = structuredClone(await ledger.readBlock(Number(blockNumber)))!;
    const forged = {
      ...block,
      data: { ...block.data, transactions: [{ ...block.data.transactions[0]!, proposal: { ...block.data.transactions[0]!.proposal, args: ['x', 'forged'] } }] },
    };
    await ledger.writeBlockText(Number(blockNumber), JSON.stringify({ ...forged, header: { ...block.header, dataHash: dataHashOf(forged.data) } }));
    const report = await ledger.checkIntegrity();
    expect(report.problems).toEqual(expect.arrayContaining([{ block: Number(blockNumber), reason: expect.stringMatching(/signature/) }]));
    await ledger.close();
  });
});
