import type { InstitutionStatus } from '../services.js';

export interface StatusCacheOptions {
  /** Where statuses come from (Services.institutionStatus). */
  readonly load: (institutionId: string) => Promise<InstitutionStatus | undefined>;
  /** How long a status is trusted, in ms. */
  readonly ttlMs: number;
  /** Clock in ms (injectable for tests). */
  readonly now: () => number;
}

export interface StatusCache {
  /** The institution's status, from the cache while fresh. Rejects with the loader's error (not cached). */
  get(institutionId: string): Promise<InstitutionStatus | undefined>;
  invalidate(institutionId: string): void;
}

/** A small TTL cache of institution statuses; concurrent misses share one load. */
export function createStatusCache(options: Readonly<StatusCacheOptions>): StatusCache {
  const entries = new Map<string, { readonly value: Promise<InstitutionStatus | undefined>; readonly expires: number }>();
  return {
    get(institutionId) {
      const now = options.now();
      const hit = entries.get(institutionId);
      if (hit && hit.expires > now) return hit.value;
      const value = options.load(institutionId);
      const entry = { value, expires: now + options.ttlMs };
      entries.set(institutionId, entry);
      value.catch(() => {
        if (entries.get(institutionId) === entry) entries.delete(institutionId);
      });
      return value;
    },
    invalidate(institutionId) {
      entries.delete(institutionId);
    },
  };
}
