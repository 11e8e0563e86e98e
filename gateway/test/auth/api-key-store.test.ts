import { describe, expect, it } from 'vitest';
import { createMemoryApiKeyStore, generateApiKey, hashApiKey } from '../../src/auth/api-key-store.js';

const KEY = 'a-long-random-api-key-0123456789';

describe('memory API key store', () => {
  it('finds a key given by value or by hash, and only by its hash', async () => {
    const other = generateApiKey();
    const store = createMemoryApiKeyStore([
      { apiKey: KEY, institutionId: 'ml-1', roles: ['microlender'] },
      { apiKeyHash: hashApiKey(other), institutionId: 'reg-1', roles: ['regulator', 'operator'] },
    ]);
    expect(await store.lookup(hashApiKey(KEY))).toEqual({ institutionId: 'ml-1', roles: ['microlender'], keyHash: hashApiKey(KEY) });
    expect(await store.lookup(hashApiKey(other))).toMatchObject({ institutionId: 'reg-1', roles: ['regulator', 'operator'] });
    expect(await store.lookup(hashApiKey('unknown-key-000000000000000'))).toBeUndefined();
    expect(await store.lookup(KEY)).toBeUndefined();
    expect(await store.lookup('')).toBeUndefined();
  });

  it('generates distinct high-entropy keys', () => {
    const a = generateApiKey();
    expect(a).toMatch(/^xl_[A-Za-z0-9_-]{43}$/);
    expect(generateApiKey()).not.toBe(a);
  });

  it.each([
    [{ apiKey: 'short', institutionId: 'a', roles: ['bank'] }, 'shorter'],
    [{ apiKeyHash: 'XYZ', institutionId: 'a', roles: ['bank'] }, 'apiKeyHash'],
    [{ institutionId: 'a', roles: ['bank'] }, 'exactly one'],
    [{ apiKey: KEY, apiKeyHash: hashApiKey(KEY), institutionId: 'a', roles: ['bank'] }, 'exactly one'],
    [{ apiKey: KEY, institutionId: '', roles: ['bank'] }, 'institutionId'],
    [{ apiKey: KEY, institutionId: 'a', roles: [] }, 'roles'],
    [{ apiKey: KEY, institutionId: 'a', roles: ['king'] }, 'unknown roles king'],
  ])('refuses a malformed entry %# with GW_CONFIG', (entry, text) => {
    expect(() => createMemoryApiKeyStore([entry])).toThrow(expect.objectContaining({ code: 'GW_CONFIG', message: expect.stringContaining(text) }));
  });

  it('refuses the same key twice', () => {
    expect(() =>
      createMemoryApiKeyStore([
        { apiKey: KEY, institutionId: 'a', roles: ['bank'] },
        { apiKeyHash: hashApiKey(KEY), institutionId: 'b', roles: ['bank'] },
      ]),
    ).toThrow(expect.objectContaining({ code: 'GW_CONFIG' }));
  });
});
