/** The durable gateway store in a real LevelDB directory: API keys by hash, rotation across restarts. */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/auth/api-key-store.js';
import { openGatewayStore } from '../../src/store/gateway-store.js';

const KEY = 'demo-key-of-ml-1-0123456789abcdef';

describe('gateway store (LevelDB)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xinlian-gw-store-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('looks keys up by hash and keeps only hashes on disk (directory 0700)', async () => {
    const path = join(dir, 'hashes');
    const store = await openGatewayStore(path);
    expect(await store.apiKeys.ensure('ml-1', ['microlender'], KEY)).toBe(true);
    expect(await store.apiKeys.lookup(hashApiKey(KEY))).toEqual({ institutionId: 'ml-1', roles: ['microlender'], keyHash: hashApiKey(KEY) });
    expect(await store.apiKeys.lookup(hashApiKey('another-key-0123456789abcdef'))).toBeUndefined();
    await store.close();
    expect((await stat(path)).mode & 0o777).toBe(0o700);
    for (const file of await readdir(path)) {
      const content = await readFile(join(path, file)).catch(() => Buffer.alloc(0));
      expect(content.includes(Buffer.from(KEY)), file).toBe(false);
    }
  });

  it('never resurrects a rotated key at the next start', async () => {
    const path = join(dir, 'rotation');
    let store = await openGatewayStore(path);
    await store.apiKeys.ensure('ml-1', ['microlender'], KEY);
    const rotated = await store.apiKeys.rotate('ml-1');
    expect(await store.apiKeys.lookup(hashApiKey(KEY))).toBeUndefined();
    expect(await store.apiKeys.lookup(hashApiKey(rotated))).toMatchObject({ institutionId: 'ml-1', roles: ['microlender'] });
    await store.close();

    // the next start ensures the credentials file's key again: it stays refused
    store = await openGatewayStore(path);
    expect(await store.apiKeys.ensure('ml-1', ['microlender'], KEY)).toBe(false);
    expect(await store.apiKeys.lookup(hashApiKey(KEY))).toBeUndefined();
    expect(await store.apiKeys.lookup(hashApiKey(rotated))).toMatchObject({ institutionId: 'ml-1' });
    await store.close();
  });

  it('issues a key for a new institution and refuses to rotate an unknown one', async () => {
    const store = await openGatewayStore(join(dir, 'issue'));
    const key = await store.apiKeys.issue('bank-9', ['bank']);
    expect(await store.apiKeys.lookup(hashApiKey(key))).toMatchObject({ institutionId: 'bank-9', roles: ['bank'] });
    await expect(store.apiKeys.rotate('nobody')).rejects.toMatchObject({ code: 'GW_NOT_FOUND' });
    await expect(store.apiKeys.ensure('x', ['king'], KEY)).rejects.toMatchObject({ code: 'GW_CONFIG' });
    await store.close();
  });

  it('refuses a second process on the same directory with GW_CONFIG', async () => {
    const path = join(dir, 'locked');
    const store = await openGatewayStore(path);
    await expect(openGatewayStore(path)).rejects.toMatchObject({ code: 'GW_CONFIG' });
    await store.close();
  });
});
