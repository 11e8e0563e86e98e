import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLedgerError } from '../../../src/errors.js';
import type { ChaincodeEvent, LedgerClient, SubmitResult } from '../../../src/ledger-client.js';
import { addressFor, clientOf, freshChaincode, script } from './network.js';

let chaincode: string;
let regulator: LedgerClient;
let lender: LedgerClient;
const accepted: SubmitResult[] = [];
let port = 0;
let stoppedOrderer = 'orderer1';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One write of the lender; each changes its endpoint, so every accepted write is checkable. */
function write(): Promise<SubmitResult> {
  port += 1;
  return lender.submit('institutions:UpdateEndpoint', ['peer-lender', JSON.stringify([`/ip4/127.0.0.1/tcp/${port}`])]);
}

/**
 * Retries a write while the ledger is unavailable (as the connector's outbox does), for up to
 * 60 s; any other error fails at once. Records the accepted result.
 */
async function writeUntilAccepted(): Promise<SubmitResult & { retries: number }> {
  const until = Date.now() + 60_000;
  for (let retries = 0; ; retries++) {
    try {
      const result = await write();
      accepted.push(result);
      return { ...result, retries };
    } catch (e) {
      if (!isLedgerError(e, 'LEDGER_UNAVAILABLE') && !isLedgerError(e, 'LEDGER_TIMEOUT')) throw e;
      if (Date.now() > until) throw e;
      await sleep(500);
    }
  }
}

/** The orderer that leads the channel's Raft cluster now (asked through each orderer's metrics). */
async function raftLeader(): Promise<string> {
  for (let i = 0; i < 60; i++) {
    for (const name of ['orderer1', 'orderer2', 'orderer3']) {
      if (await script('orderer.sh', [name, 'is-leader']).then(() => true, () => false)) return name;
    }
    await sleep(500);
  }
  throw new Error('no Raft leader within 30 s');
}

beforeAll(async () => {
  chaincode = await freshChaincode('faults');
  regulator = await clientOf('regulator', 'User1', chaincode);
  lender = await clientOf('lender', 'User1', chaincode);
  await regulator.submit('institutions:Initialize', [
    JSON.stringify({ id: 'reg', name: 'Regulator', roles: ['regulator'], signerAddress: addressFor(1) }),
  ]);
  await regulator.submit('institutions:Admit', [
    JSON.stringify({
      id: 'lender', name: 'Lender', roles: ['microlender'], signerAddress: addressFor(2),
      mspId: lender.identity.mspId, clientId: lender.identity.clientId,
    }),
  ]);
  accepted.push(await write());
});

afterAll(async () => {
  // Whatever a failed test left stopped is started again for the next test file.
  await script('orderer.sh', [stoppedOrderer, 'start']).catch(() => undefined);
  await script('peer.sh', ['lender', 'start']).catch(() => undefined);
  await script('ccaas.sh', ['start']).catch(() => undefined);
  await Promise.all([regulator?.close(), lender?.close()]);
});

describe('Fabric under faults', () => {
  it('commits submissions while one of three orderers (the Raft leader) is down', async () => {
    const leader = await raftLeader();
    stoppedOrderer = leader;
    await script('orderer.sh', [leader, 'stop']);
    try {
      for (let i = 0; i < 3; i++) {
        const { blockNumber } = await writeUntilAccepted();
        expect(blockNumber).toBeGreaterThan(0n);
      }
      expect(await raftLeader()).not.toBe(leader);
    } finally {
      await script('orderer.sh', [leader, 'start']);
    }
    expect((await writeUntilAccepted()).blockNumber).toBeGreaterThan(0n);
  });

  it('recovers after its gateway peer restarts, events included', async () => {
    const events = await lender.chaincodeEvents();
    const seen: ChaincodeEvent[] = [];
    const reading = (async () => {
      for await (const e of events) seen.push(e);
    })();
    await script('peer.sh', ['lender', 'stop']);
    try {
      await expect(write()).rejects.toMatchObject({ name: 'LedgerError', code: 'LEDGER_UNAVAILABLE' });
    } finally {
      await script('peer.sh', ['lender', 'start']);
    }
    const after = await writeUntilAccepted();
    for (let i = 0; i < 120 && !seen.some((e) => e.transactionId === after.txId); i++) await sleep(250);
    events.close();
    await reading;
    expect(seen.map((e) => e.transactionId)).toContain(after.txId);
  });

  it('recovers after the chaincode service restarts', async () => {
    await script('ccaas.sh', ['stop']);
    try {
      await expect(write()).rejects.toMatchObject({ name: 'LedgerError', code: 'LEDGER_UNAVAILABLE' });
    } finally {
      await script('ccaas.sh', ['start']);
    }
    expect((await writeUntilAccepted()).blockNumber).toBeGreaterThan(0n);
  });

  it('loses nothing it accepted', async () => {
    expect(accepted.length).toBeGreaterThanOrEqual(6);
    for (const { txId, blockNumber } of accepted) {
      expect(await regulator.getTransaction(txId)).toMatchObject({ txId, blockNumber, validationCode: 'VALID' });
    }
    const last = JSON.parse(await regulator.evaluate('institutions:Get', ['lender'])) as { addresses: string[] };
    expect(last.addresses).toEqual([`/ip4/127.0.0.1/tcp/${port}`]);
    expect(await regulator.checkIntegrity()).toMatchObject({ ok: true });
  });
});
