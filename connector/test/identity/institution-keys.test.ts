import { chmod, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { afterAll, describe, expect, it } from 'vitest';
import { KEYS_FILE_NAME, loadOrCreateInstitutionKeys } from '../../src/identity/index.js';
import { createP2PNode, isP2PError, P2PErrorCode } from '../../src/p2p/index.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'xinlian-keys-'));
  dirs.push(dir);
  return dir;
}

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (e) {
    return isP2PError(e) ? e.code : `not a P2PError: ${String(e)}`;
  }
  return undefined;
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('loadOrCreateInstitutionKeys', () => {
  it('creates the keys on first start in a 0600 file inside a 0700 directory', async () => {
    const dir = join(await tempDir(), 'keys');
    const keys = await loadOrCreateInstitutionKeys(dir);
    expect(keys.created).toBe(true);
    expect(keys.path).toBe(join(dir, KEYS_FILE_NAME));
    expect((await stat(keys.path)).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await readdir(dir)).toEqual([KEYS_FILE_NAME]);
    expect(keys.wallet.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(keys.peerId.toString()).toBe(peerIdFromPrivateKey(keys.libp2pPrivateKey).toString());
    expect(keys.libp2pPrivateKey.type).toBe('Ed25519');
  });

  it('gives the same signer address and peer id after a restart, and the node keeps its peer id', async () => {
    const dir = await tempDir();
    const first = await loadOrCreateInstitutionKeys(dir);
    const second = await loadOrCreateInstitutionKeys(dir);
    expect(second.created).toBe(false);
    expect(second.wallet.address).toBe(first.wallet.address);
    expect(second.wallet.privateKey).toBe(first.wallet.privateKey);
    expect(second.peerId.toString()).toBe(first.peerId.toString());
    const node = await createP2PNode({ privateKey: second.libp2pPrivateKey });
    try {
      expect(node.peerId.toString()).toBe(first.peerId.toString());
    } finally {
      await node.stop();
    }
  });

  it('creates one set of keys when two starts race', async () => {
    const dir = await tempDir();
    const [a, b] = await Promise.all([loadOrCreateInstitutionKeys(dir), loadOrCreateInstitutionKeys(dir)]);
    expect(a.wallet.address).toBe(b.wallet.address);
    expect(a.peerId.toString()).toBe(b.peerId.toString());
    expect([a.created, b.created].filter(Boolean).length).toBeLessThanOrEqual(1);
    expect(await readdir(dir)).toEqual([KEYS_FILE_NAME]);
  });

  it('refuses a keys file readable or writable by group or others', async () => {
    const dir = await tempDir();
    const keys = await loadOrCreateInstitutionKeys(dir);
    for (const mode of [0o644, 0o640, 0o604, 0o620, 0o602, 0o666]) {
      await chmod(keys.path, mode);
      const code = await errorCode(loadOrCreateInstitutionKeys(dir));
      expect({ mode: mode.toString(8), code }).toEqual({ mode: mode.toString(8), code: P2PErrorCode.KEYS_PERMISSIONS });
    }
    await chmod(keys.path, 0o600);
    await expect(loadOrCreateInstitutionKeys(dir)).resolves.toMatchObject({ created: false });
    await chmod(keys.path, 0o400);
    await expect(loadOrCreateInstitutionKeys(dir)).resolves.toMatchObject({ created: false });
  });

  it('says what is wrong and how to fix it', async () => {
    const dir = await tempDir();
    const keys = await loadOrCreateInstitutionKeys(dir);
    await chmod(keys.path, 0o644);
    await expect(loadOrCreateInstitutionKeys(dir)).rejects.toThrow(`has mode 0644; keys files must be 0600 (chmod 600 ${keys.path})`);
  });

  it('refuses a symbolic link in place of the keys file', async () => {
    const source = await tempDir();
    const keys = await loadOrCreateInstitutionKeys(source);
    const dir = await tempDir();
    await symlink(keys.path, join(dir, KEYS_FILE_NAME));
    expect(await errorCode(loadOrCreateInstitutionKeys(dir))).toBe(P2PErrorCode.KEYS_PERMISSIONS);
  });

  it('refuses a corrupt keys file rather than replacing the identity', async () => {
    const dir = await tempDir();
    const keys = await loadOrCreateInstitutionKeys(dir);
    const original = await readFile(keys.path, 'utf8');
    const parsed = JSON.parse(original) as { signer: { address: string }; libp2p: { privateKey: string } };
    const variants = [
      'not json',
      '{"version":2}',
      JSON.stringify({ ...parsed, signer: { ...parsed.signer, address: '0x' + '00'.repeat(20) } }),
      JSON.stringify({ ...parsed, libp2p: { ...parsed.libp2p, privateKey: 'AAAA' } }),
      JSON.stringify({ ...parsed, signer: undefined }),
    ];
    for (const text of variants) {
      await writeFile(keys.path, text, { mode: 0o600 });
      expect(await errorCode(loadOrCreateInstitutionKeys(dir))).toBe(P2PErrorCode.KEYS_CORRUPT);
    }
    await writeFile(keys.path, original, { mode: 0o600 });
    expect((await loadOrCreateInstitutionKeys(dir)).wallet.address).toBe(keys.wallet.address);
  });
});
