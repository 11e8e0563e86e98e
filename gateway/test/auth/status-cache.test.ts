import { describe, expect, it } from 'vitest';
import { createStatusCache } from '../../src/auth/status-cache.js';
import type { InstitutionStatus } from '../../src/services.js';

describe('institution status cache', () => {
  it('shares one load between concurrent misses and reloads after the ttl or an invalidation', async () => {
    let now = 0;
    let loads = 0;
    let status: InstitutionStatus = 'active';
    const cache = createStatusCache({ load: async () => (loads++, status), ttlMs: 100, now: () => now });
    expect(await Promise.all([cache.get('a'), cache.get('a')])).toEqual(['active', 'active']);
    expect(loads).toBe(1);
    status = 'suspended';
    now = 99;
    expect(await cache.get('a')).toBe('active');
    now = 100;
    expect(await cache.get('a')).toBe('suspended');
    status = 'active';
    cache.invalidate('a');
    expect(await cache.get('a')).toBe('active');
    expect(loads).toBe(3);
  });

  it('does not keep a failed load', async () => {
    let fail = true;
    const cache = createStatusCache({
      load: async () => {
        if (fail) throw new Error('down');
        return 'active';
      },
      ttlMs: 1_000,
      now: () => 0,
    });
    await expect(cache.get('a')).rejects.toThrow('down');
    fail = false;
    expect(await cache.get('a')).toBe('active');
  });
});
