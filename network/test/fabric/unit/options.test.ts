import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFabricLedgerClient, loadFabricProfile } from '../../../src/fabric/index.js';
import { resolveOptions, type FabricLedgerClientOptions } from '../../../src/fabric/options.js';
import { checkEventsOptions } from '../../../src/fabric/events.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const base: FabricLedgerClientOptions = {
  peerEndpoint: '127.0.0.1:7010', tlsRootCert: PEM, mspId: 'LenderMSP',
  certPath: '/nope/cert.pem', keyPath: '/nope/key.pem', channel: 'xinlian', chaincode: 'xinlian',
};
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xinlian-fabric-profile-'));
  await mkdir(join(dir, 'connection'));
  await writeFile(join(dir, 'ca.pem'), PEM);
  await writeFile(join(dir, 'connection', 'lender.json'), JSON.stringify({
    org: 'lender', mspId: 'LenderMSP', peerEndpoint: '127.0.0.1:7010', hostAlias: 'peer0.lender.xinlian.local',
    tlsRootCertPath: join(dir, 'ca.pem'), channel: 'xinlian', chaincode: 'xinlian',
    users: { User1: { certPath: '/c.pem', keyPath: '/k.pem' } },
  }));
  await writeFile(join(dir, 'connection', 'broken.json'), '{"mspId": 1');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Fabric client options', () => {
  it('fills in default deadlines', () => {
    expect(resolveOptions(base).timeouts).toEqual({ evaluateMs: 10_000, endorseMs: 20_000, submitMs: 10_000, commitMs: 60_000 });
    expect(resolveOptions({ ...base, timeouts: { commitMs: 5 } }).timeouts.commitMs).toBe(5);
  });

  it.each([
    [{ peerEndpoint: 'no-port' }, /peerEndpoint/],
    [{ mspId: '' }, /mspId/],
    [{ tlsRootCert: 'not a pem' }, /tlsRootCert/],
    [{ timeouts: { commitMs: -1 } }, /commitMs/],
    [{ timeouts: { soonMs: 1 } }, /unknown timeout soonMs/],
  ])('refuses %j with LEDGER_BAD_REQUEST', (override, message) => {
    expect(() => resolveOptions({ ...base, ...override } as FabricLedgerClientOptions)).toThrow(message);
    expect(() => resolveOptions({ ...base, ...override } as FabricLedgerClientOptions)).toThrow(expect.objectContaining({ code: 'LEDGER_BAD_REQUEST' }));
  });

  it('refuses unreadable identity files with LEDGER_BAD_REQUEST', async () => {
    await expect(createFabricLedgerClient(base)).rejects.toMatchObject({ name: 'LedgerError', code: 'LEDGER_BAD_REQUEST' });
  });

  it('checks event start positions', () => {
    expect(() => checkEventsOptions({ startBlock: -1n })).toThrow(expect.objectContaining({ code: 'LEDGER_BAD_REQUEST' }));
    expect(() => checkEventsOptions({ checkpoint: { blockNumber: 1 as unknown as bigint } })).toThrow(expect.objectContaining({ code: 'LEDGER_BAD_REQUEST' }));
    expect(() => checkEventsOptions({ checkpoint: { blockNumber: 3n, transactionId: 'abc' } })).not.toThrow();
  });
});

describe('connection profiles', () => {
  it('gives the client options of a user of an org', async () => {
    expect(await loadFabricProfile({ org: 'lender', stateDir: dir })).toEqual({
      peerEndpoint: '127.0.0.1:7010', tlsRootCert: PEM, hostAlias: 'peer0.lender.xinlian.local', mspId: 'LenderMSP',
      certPath: '/c.pem', keyPath: '/k.pem', channel: 'xinlian', chaincode: 'xinlian',
    });
  });

  it('refuses unknown orgs, users and broken profiles with coded errors', async () => {
    await expect(loadFabricProfile({ org: '../etc', stateDir: dir })).rejects.toMatchObject({ code: 'LEDGER_BAD_REQUEST' });
    await expect(loadFabricProfile({ org: 'lender', user: 'Admin', stateDir: dir })).rejects.toMatchObject({ code: 'LEDGER_BAD_REQUEST' });
    await expect(loadFabricProfile({ org: 'lender', user: 'constructor', stateDir: dir })).rejects.toMatchObject({ code: 'LEDGER_BAD_REQUEST' });
    await expect(loadFabricProfile({ org: 'broken', stateDir: dir })).rejects.toMatchObject({ code: 'LEDGER_BAD_REQUEST' });
    await expect(loadFabricProfile({ org: 'regulator', stateDir: dir })).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
  });
});
