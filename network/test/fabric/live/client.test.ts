import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerClient } from '../../../src/ledger-client.js';
import { addressFor, clientOf, freshChaincode } from './network.js';

let chaincode: string;
let regulator: LedgerClient;
let lender: LedgerClient;
let stranger: LedgerClient;

beforeAll(async () => {
  chaincode = await freshChaincode('client');
  regulator = await clientOf('regulator', 'User1', chaincode);
  lender = await clientOf('lender', 'User1', chaincode);
  stranger = await clientOf('provider', 'User3', chaincode);
  await regulator.submit('institutions:Initialize', [
    JSON.stringify({ id: 'reg', name: 'Regulator', roles: ['regulator'], signerAddress: addressFor(1) }),
  ]);
  await regulator.submit('institutions:Admit', [
    JSON.stringify({
      id: 'lender', name: 'Lender', roles: ['microlender'], signerAddress: addressFor(2),
      mspId: lender.identity.mspId, clientId: lender.identity.clientId,
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([regulator?.close(), lender?.close(), stranger?.close()]);
});

describe('Fabric ledger client', () => {
  it('submits, commits and evaluates as the institution bound to the identity', async () => {
    const { result, txId, blockNumber } = await lender.submit('institutions:UpdateEndpoint', ['peer-lender', '["/ip4/127.0.0.1/tcp/1"]']);
    expect(JSON.parse(result)).toMatchObject({ id: 'lender', peerId: 'peer-lender' });
    expect(txId).toMatch(/^[0-9a-f]{64}$/);
    expect(blockNumber).toBeGreaterThan(0n);
    expect(JSON.parse(await lender.evaluate('institutions:Whoami', []))).toMatchObject({ id: 'lender' });
    expect(lender.identity).toEqual({ mspId: 'LenderMSP', clientId: expect.stringMatching(/^x509::.*CN=User1@lender\.xinlian\.local.*::/) });
  });

  it('turns a refused write by a member into a recorded ChaincodeError', async () => {
    const admit = JSON.stringify({ id: 'x1', name: 'X', roles: ['bank'], signerAddress: addressFor(3) });
    const error = await lender.submit('institutions:Admit', [admit]).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ChaincodeError', code: expect.stringMatching(/^CC_/), recorded: true });
    const { txId, blockNumber } = error as { txId: string; blockNumber: bigint };
    expect(blockNumber).toBeGreaterThan(0n);
    expect(await lender.getTransaction(txId)).toMatchObject({ txId, blockNumber, validationCode: 'VALID', function: 'institutions:Admit' });
  });

  it('maps a thrown chaincode error to an unrecorded ChaincodeError with its code', async () => {
    const error = await lender.submit('institutions:UpdateEndpoint', ['bad id with spaces', '[]']).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ChaincodeError', code: 'CC_BAD_REQUEST', recorded: false });
    expect((error as Error).message).toMatch(/^\[CC_BAD_REQUEST\] /);
    const unknown = await stranger.evaluate('institutions:Whoami', []).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ name: 'ChaincodeError', code: expect.stringMatching(/^CC_/), recorded: false });
  });

  it('reports concurrent updates of one key as LEDGER_MVCC_READ_CONFLICT', async () => {
    const outcomes = await Promise.allSettled(
      [1, 2, 3, 4].map((n) => lender.submit('institutions:UpdateEndpoint', ['peer-lender', JSON.stringify([`/ip4/127.0.0.1/tcp/${n}`])])),
    );
    const failures = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason as { code: string; txId: string });
    expect(outcomes.some((o) => o.status === 'fulfilled')).toBe(true);
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) expect(f).toMatchObject({ name: 'LedgerError', code: 'LEDGER_MVCC_READ_CONFLICT', txId: expect.any(String) });
    expect(await lender.getTransaction(failures[0]!.txId)).toMatchObject({ validationCode: 'MVCC_READ_CONFLICT' });
  });

  it('refuses bad calls with LEDGER_BAD_REQUEST before reaching Fabric', async () => {
    await expect(lender.submit('', [])).rejects.toMatchObject({ code: 'LEDGER_BAD_REQUEST' });
    await expect(lender.evaluate('institutions:Get', [1 as unknown as string])).rejects.toMatchObject({ code: 'LEDGER_BAD_REQUEST' });
    await expect(lender.getBlock(1 as unknown as bigint)).rejects.toMatchObject({ code: 'LEDGER_BAD_REQUEST' });
    await expect(lender.chaincodeEvents({ startBlock: -1n })).rejects.toMatchObject({ code: 'LEDGER_BAD_REQUEST' });
    expect(await lender.getTransaction('f'.repeat(64))).toBeUndefined();
    expect(await lender.getBlock(10n ** 9n)).toBeUndefined();
  });

  it('reads blocks and transactions through qscc and verifies the whole chain', async () => {
    const { txId, blockNumber } = await lender.submit('institutions:UpdateEndpoint', ['peer-lender', '["/ip4/127.0.0.1/tcp/9"]']);
    // The submit returned once the lender's peer committed; the regulator's peer learns the
    // block a moment later from the orderers.
    for (let i = 0; i < 100 && (await regulator.getHeight()) <= blockNumber; i++) await new Promise((r) => setTimeout(r, 50));
    const block = await regulator.getBlock(blockNumber);
    expect(block?.number).toBe(blockNumber);
    expect(block?.transactions.find((t) => t.txId === txId)).toMatchObject({
      creator: lender.identity, function: 'institutions:UpdateEndpoint', validationCode: 'VALID',
    });
    const previous = await regulator.getBlock(blockNumber - 1n);
    expect(block?.previousHash).toBe(previous?.hash);
    const height = await regulator.getHeight();
    const report = await regulator.checkIntegrity();
    expect(report).toMatchObject({ ok: true });
    expect(BigInt(report.height)).toBeGreaterThanOrEqual(height);
  });

  it('delivers chaincode events and resumes after a checkpoint', async () => {
    const start = await lender.getHeight();
    const first = await lender.submit('institutions:UpdateEndpoint', ['peer-lender', '["/ip4/127.0.0.1/tcp/21"]']);
    const second = await lender.submit('institutions:UpdateEndpoint', ['peer-lender', '["/ip4/127.0.0.1/tcp/22"]']);
    const stream = await regulator.chaincodeEvents({ startBlock: start });
    const seen: { transactionId: string; blockNumber: bigint }[] = [];
    for await (const event of stream) {
      expect(event.chaincodeName).toBe(chaincode);
      expect(() => JSON.parse(event.payload) as unknown).not.toThrow();
      seen.push(event);
      if (event.transactionId === first.txId) break;
    }
    stream.close();
    expect(seen.at(-1)).toMatchObject({ transactionId: first.txId, blockNumber: first.blockNumber });
    // A new stream from the checkpoint (as after a restart) continues with the next event.
    const resumed = await regulator.chaincodeEvents({ checkpoint: { blockNumber: first.blockNumber, transactionId: first.txId } });
    const next = await resumed[Symbol.asyncIterator]().next();
    resumed.close();
    expect(next.value).toMatchObject({ transactionId: second.txId, eventName: 'institution_updated' });
  });

  it('fails with LEDGER_UNAVAILABLE once closed', async () => {
    const client = await clientOf('lender', 'User1', chaincode);
    await client.close();
    await expect(client.evaluate('institutions:Whoami', [])).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
  });
});
