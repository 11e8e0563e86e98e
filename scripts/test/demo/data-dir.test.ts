/**
 * The demo's data directory, through the real consortium (embedded ledger, connectors over
 * libp2p on loopback): subject keys from a random secret kept in it (not from the public
 * seed), everything in it private, and institutions hosted in it — admitted, bound to their
 * own ledger identity, started, and reopened on the next start.
 */
import { lstat, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsortium, SUBJECT_SECRET_FILE, type DemoConsortium } from '../../src/demo/consortium.js';
import { loadOrCreateCredentials } from '../../src/demo/credentials.js';
import { HOSTED_FILE, type HostedInstitution } from '../../src/demo/institution-host.js';
import { DEMO_PROVIDER } from '../../src/demo/plan.js';

const SEED = 'data-dir-test';
let root: string;
let a: string;
let consortium: DemoConsortium | undefined;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'xinlian-data-dir-'));
  a = join(root, 'a');
  consortium = await openConsortium({ dataDir: a, enterprises: 12, seed: SEED, logLevel: 'warn' });
});
afterAll(async () => {
  await consortium?.close();
  await rm(root, { recursive: true, force: true });
});

/** Every entry under `dir` whose mode is not 0700 (directories) or 0600 (files). */
async function loosePermissions(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (path: string): Promise<void> => {
    const info = await lstat(path);
    if (info.isSymbolicLink()) return;
    const mode = info.mode & 0o777;
    if (mode !== (info.isDirectory() ? 0o700 : 0o600)) out.push(`${path.slice(dir.length)} ${mode.toString(8)}`);
    if (info.isDirectory()) for (const name of await readdir(path)) await walk(join(path, name));
  };
  await walk(dir);
  return out;
}

const regulator = (c: DemoConsortium) => c.connectors.get('regulator')!;
const admitThrough = (c: DemoConsortium, id: string, name: string, roles: string[]) => async (signerAddress: string) => {
  await regulator(c).ledger.admit({ id, name, roles, signerAddress });
};

describe('the demo data directory', () => {
  it('derives subject keys from a random secret kept in the data dir, not from the seed', async () => {
    const secret = join(a, 'demo', SUBJECT_SECRET_FILE);
    expect((await readFile(secret, 'utf8')).trim()).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(secret)).mode & 0o777).toBe(0o600);
    const { credentials } = await loadOrCreateCredentials(a, 'http://127.0.0.1:0', consortium!.connectors.get(DEMO_PROVIDER)!.store, consortium!.subjectWallet);
    const first = credentials.subjects[0]!;
    expect(consortium!.subjectWallet(first.uscc).privateKey).toBe(first.signerPrivateKey);
    // The registered signer on the ledger is that key's address.
    const token = consortium!.connectors.get('operator')!.subjects.tokenOf(first.uscc);
    const subject = await regulator(consortium!).ledger.getSubject(token);
    expect(subject.signers).toEqual([consortium!.subjectWallet(first.uscc).address]);

    // Another data directory made with the same seed: the same enterprises, other keys.
    const b = join(root, 'b');
    const other = await openConsortium({ dataDir: b, enterprises: 12, seed: SEED, logLevel: 'warn' });
    try {
      expect(await other.connectors.get(DEMO_PROVIDER)!.store.enterprises.get(first.uscc)).toBeDefined();
      expect(other.subjectWallet(first.uscc).address).not.toBe(consortium!.subjectWallet(first.uscc).address);
    } finally {
      await other.close();
    }
  });

  it('hosts an institution: its own keys and ledger identity, its connector started and served', async () => {
    const c = consortium!;
    await c.host!.host({ id: 'microloan-d', name: 'Huangpu Microloan', roles: ['microlender'] }, admitThrough(c, 'microloan-d', 'Huangpu Microloan', ['microlender']));
    const hosted = c.connectors.get('microloan-d')!;
    expect(hosted).toBeDefined();
    // It transacts as itself: the ledger knows its identity, and its start announced its endpoint.
    expect(await hosted.ledger.whoami()).toMatchObject({ id: 'microloan-d', status: 'active', signerAddress: hosted.wallet.address, peerId: expect.any(String) });
    expect(hosted.ledger.identity.mspId).toBe('LenderMSP');
    const entries = JSON.parse(await readFile(join(a, 'demo', HOSTED_FILE), 'utf8')) as HostedInstitution[];
    expect(entries).toEqual([expect.objectContaining({ id: 'microloan-d', state: 'hosted' })]);
    expect(await readdir(join(a, 'institutions', '.pending'))).toEqual([]);
  });

  it('refuses to host an id that exists, touching nothing of that institution', async () => {
    const c = consortium!;
    const keysDir = join(a, 'institutions', 'bank-a', 'keys');
    const before = await readdir(keysDir).then((files) => Promise.all(files.map((f) => readFile(join(keysDir, f), 'utf8'))));
    const bankA = c.connectors.get('bank-a');
    await expect(c.host!.host({ id: 'bank-a', name: 'Impostor', roles: ['bank'] }, admitThrough(c, 'bank-a', 'Impostor', ['bank']))).rejects.toMatchObject({ code: 'CC_CONFLICT' });
    expect(c.connectors.get('bank-a')).toBe(bankA);
    expect(await readdir(keysDir).then((files) => Promise.all(files.map((f) => readFile(join(keysDir, f), 'utf8'))))).toEqual(before);
    expect(await readdir(join(a, 'institutions', '.pending'))).toEqual([]);
    expect((JSON.parse(await readFile(join(a, 'demo', HOSTED_FILE), 'utf8')) as HostedInstitution[]).map((e) => e.id)).toEqual(['microloan-d']);
  });

  it('finishes a hosting whose admission committed but whose answer was lost', async () => {
    const c = consortium!;
    await c.host!.host({ id: 'guarantor-b', name: 'Second Guarantee Co.', roles: ['guarantor'] }, async (signer) => {
      await admitThrough(c, 'guarantor-b', 'Second Guarantee Co.', ['guarantor'])(signer);
      throw new Error('connection reset after commit');
    });
    expect(await c.connectors.get('guarantor-b')!.ledger.whoami()).toMatchObject({ id: 'guarantor-b', status: 'active' });
  });

  it('reopens hosted institutions on the next start, resolves interrupted hostings, and keeps everything private', async () => {
    await consortium!.close();
    consortium = undefined;
    // A hosting interrupted before its admission: pending keys and an `admitting` entry.
    const entries = JSON.parse(await readFile(join(a, 'demo', HOSTED_FILE), 'utf8')) as HostedInstitution[];
    const pendingDir = join('institutions', '.pending', 'ghost-1');
    await writeFile(join(a, 'demo', HOSTED_FILE), JSON.stringify([...entries, { id: 'ghost', name: 'Ghost', roles: ['bank'], mspId: 'BankMSP', state: 'admitting', pendingDir, at: new Date().toISOString() }]));
    expect(await loosePermissions(a)).toEqual([]);

    consortium = await openConsortium({ dataDir: a, seed: SEED, logLevel: 'warn' });
    for (const id of ['microloan-d', 'guarantor-b']) expect(await consortium.connectors.get(id)!.ledger.whoami()).toMatchObject({ id, status: 'active' });
    expect(consortium.connectors.has('ghost')).toBe(false);
    expect((JSON.parse(await readFile(join(a, 'demo', HOSTED_FILE), 'utf8')) as HostedInstitution[]).map((e) => e.id).sort()).toEqual(['guarantor-b', 'microloan-d']);
    expect(await readdir(join(a, 'institutions', '.pending'))).toEqual([]);
  });
});
