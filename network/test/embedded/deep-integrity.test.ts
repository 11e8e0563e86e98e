/**
 * The deep integrity check on the embedded ledger running the real chaincode: a revoked
 * consent set back to active by editing LevelDB's world state is served as active and
 * passes the chain check, but the deep check finds it; after an unclean stop the ledger
 * runs the deep check itself and refuses to open.
 */
import { ClassicLevel } from 'classic-level';
import { contracts, consentTypedData, revocationTypedData } from '@xinlian/chaincode';
import { chmod, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Wallet, id as keccakText } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedIdentity, type EmbeddedIdentity } from '../../src/embedded/identity.js';
import { createEmbeddedLedger, OPEN_MARKER, type EmbeddedLedger } from '../../src/embedded/ledger.js';
import { tempDir } from '../support/embedded.js';

const SUBJECT = `0x${'cd'.repeat(32)}`;
const wallet = (name: string): Wallet => new Wallet(keccakText(`xinlian-deep-integrity:${name}`));
const now = (): number => Math.floor(Date.now() / 1000);

let dir: Awaited<ReturnType<typeof tempDir>>;
let regulator: EmbeddedIdentity;
let lender: EmbeddedIdentity;
let operator: EmbeddedIdentity;
let provider: EmbeddedIdentity;

const open = (dataDir: string): Promise<EmbeddedLedger> => createEmbeddedLedger({ dataDir, contracts, blockMaxWaitMs: 1 });

beforeAll(async () => {
  dir = await tempDir();
  [regulator, lender, operator, provider] = await Promise.all(
    ['regulator', 'lender', 'operator', 'provider'].map((name) => createEmbeddedIdentity({ mspId: `${name}MSP`, name: 'admin' })),
  );
});
afterAll(async () => {
  await dir?.remove();
});

/** A ledger with a consent granted and then revoked by its subject; closed cleanly. */
async function ledgerWithRevokedConsent(dataDir: string, consentId: string): Promise<void> {
  const ledger = await open(dataDir);
  const [r, l, o, p] = [ledger.connect(regulator), ledger.connect(lender), ledger.connect(operator), ledger.connect(provider)];
  const info = (id: string, roles: string[]) => ({ id, name: `${id} Ltd`, roles, signerAddress: wallet(id).address });
  await r.submit('institutions:Initialize', [JSON.stringify(info('regulator', ['regulator']))]);
  await r.submit('institutions:Admit', [JSON.stringify({ ...info('lender', ['microlender']), ...l.identity })]);
  await r.submit('institutions:Admit', [JSON.stringify({ ...info('operator', ['operator']), ...o.identity })]);
  await r.submit('institutions:Admit', [JSON.stringify({ ...info('provider', ['provider']), ...p.identity })]);
  const product = { id: 'score-1', name: 'score', kind: 'score', classification: 2, policy: { purposes: ['pre_loan'] }, outputSchemaHash: `0x${'11'.repeat(32)}`, modelVersion: '1.0.0' };
  await p.submit('products:Publish', [JSON.stringify(product)]);
  const subject = wallet('subject');
  await o.submit('subjects:Register', [SUBJECT, JSON.stringify([subject.address])]);
  const consent = { consentId, subjectToken: SUBJECT, grantee: 'lender', products: ['score-1'], purpose: 'pre_loan', validUntil: now() + 86_400, issuedAt: now() - 60 };
  const ct = consentTypedData(consent);
  await l.submit('consents:Grant', [JSON.stringify(consent), await subject.signTypedData(ct.domain, ct.types, ct.message)]);
  const rt = revocationTypedData({ consentId, subjectToken: SUBJECT });
  await l.submit('consents:Revoke', [consentId, await subject.signTypedData(rt.domain, rt.types, rt.message)]);
  expect(JSON.parse(await l.evaluate('consents:Get', [consentId]))).toMatchObject({ status: 'revoked' });
  await ledger.close();
}

/** Sets the stored consent record back to active, straight in LevelDB, keeping its version header. Returns its state key. */
async function reactivateInLevelDb(dataDir: string, consentId: string): Promise<string> {
  const db = new ClassicLevel<string, Buffer>(dataDir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
  try {
    for await (const [key, raw] of db.iterator({ gte: 's:', lt: 's;' })) {
      if (!key.includes('consent') || !key.includes(consentId)) continue;
      const header = raw.subarray(0, 10);
      const record = JSON.parse(raw.subarray(10).toString('utf8')) as Record<string, unknown>;
      expect(record['status']).toBe('revoked');
      record['status'] = 'active';
      delete record['revokedAt'];
      await db.put(key, Buffer.concat([header, Buffer.from(JSON.stringify(record))]));
      return key.slice(2);
    }
    throw new Error(`no state record of ${consentId}`);
  } finally {
    await db.close();
  }
}

describe('embedded ledger: deep integrity of the world state', () => {
  it('passes on an honest ledger and counts the replayed keys', async () => {
    const data = join(dir.path, 'honest');
    await ledgerWithRevokedConsent(data, 'consent-honest');
    const ledger = await open(data);
    try {
      const report = await ledger.connect(regulator).checkIntegrity({ deep: true });
      expect(report).toMatchObject({ ok: true, deep: { ok: true, mismatches: [], mismatchCount: 0 } });
      expect(report.deep!.keys).toBeGreaterThan(5);
      expect(report.problems).toBeUndefined();
      // without `deep`, no deep part
      expect((await ledger.connect(regulator).checkIntegrity()).deep).toBeUndefined();
    } finally {
      await ledger.close();
    }
  });

  it('detects a revoked consent set back to active in LevelDB, which the chain check misses', async () => {
    const data = join(dir.path, 'edited');
    await ledgerWithRevokedConsent(data, 'consent-edited');
    const key = await reactivateInLevelDb(data, 'consent-edited');
    // A clean stop left no marker: the ledger opens, and serves the edited record…
    const ledger = await open(data);
    try {
      expect(ledger.recovery).toBeUndefined();
      const client = ledger.connect(lender);
      expect(JSON.parse(await client.evaluate('consents:Get', ['consent-edited']))).toMatchObject({ status: 'active' });
      // …the chain is intact, so the shallow check says ok…
      expect(await client.checkIntegrity()).toMatchObject({ ok: true });
      // …and the deep check names the edited key.
      const report = await client.checkIntegrity({ deep: true });
      expect(report.ok).toBe(false);
      expect(report.problems).toBeUndefined();
      expect(report.deep).toEqual({ ok: false, keys: expect.any(Number), mismatches: [{ key, reason: 'value' }], mismatchCount: 1 });
    } finally {
      await ledger.close();
    }
  });

  it('refuses to open an edited store after an unclean stop, and keeps refusing', async () => {
    const data = join(dir.path, 'unclean');
    await ledgerWithRevokedConsent(data, 'consent-unclean');
    await reactivateInLevelDb(data, 'consent-unclean');
    // What a process killed while the ledger was open leaves behind.
    await writeFile(join(data, OPEN_MARKER), '1 killed\n');
    await expect(open(data)).rejects.toMatchObject({ name: 'LedgerError', code: 'LEDGER_INTEGRITY_FAILED', message: expect.stringMatching(/1 state differences/) });
    await expect(open(data)).rejects.toMatchObject({ code: 'LEDGER_INTEGRITY_FAILED' });
  });

  it('keeps the store private: directory 0700, files 0600, tightened at open; a clean close removes the open marker', async () => {
    const data = join(dir.path, 'private');
    const modes = async (): Promise<Record<string, number>> =>
      Object.fromEntries(await Promise.all(['.', ...(await readdir(data))].map(async (f) => [f, (await stat(join(data, f))).mode & 0o777] as const)));
    const privateModes = (names: string[]): Record<string, number> => Object.fromEntries(names.map((f) => [f, f === '.' ? 0o700 : 0o600]));
    let ledger = await open(data);
    await ledger.connect(regulator).submit('institutions:Initialize', [JSON.stringify({ id: 'regulator', name: 'r', roles: ['regulator'], signerAddress: wallet('r').address })]);
    await ledger.close();
    const closed = await modes();
    expect(Object.keys(closed)).not.toContain(OPEN_MARKER);
    expect(Object.keys(closed).length).toBeGreaterThan(3);
    expect(closed).toEqual(privateModes(Object.keys(closed)));
    // A store left world-readable (made by an older version, or copied) is tightened at open.
    await chmod(data, 0o755);
    for (const f of await readdir(data)) await chmod(join(data, f), 0o644);
    ledger = await open(data);
    try {
      const opened = await modes();
      expect(Object.keys(opened)).toContain(OPEN_MARKER);
      expect(opened).toEqual(privateModes(Object.keys(opened)));
    } finally {
      await ledger.close();
    }
  });
});
