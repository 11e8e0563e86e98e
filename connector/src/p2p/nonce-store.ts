/**
 * Replay protection: remembers envelope nonces until they expire.
 */

/** Injected by the connector (the store package provides a LevelDB one). */
export interface NonceStore {
  /**
   * Records `nonce` as used until `expiresAtMs` and tells whether it was
   * already recorded (true = replay). Must be atomic per nonce: of two
   * concurrent calls with the same nonce, exactly one returns false.
   */
  seen(nonce: string, expiresAtMs: number): Promise<boolean>;
}

export interface MemoryNonceStoreInit {
  /** Clock; default `Date.now`. */
  readonly now?: () => number;
  /** Refuse to hold more than this many live nonces (fails closed: counts as a replay). Default 1,000,000. */
  readonly maxEntries?: number;
}

/**
 * An in-memory {@link NonceStore}: for tests and single-process use. Forgets
 * everything on restart, which is safe only while envelopes live shorter than
 * a restart takes; use a persistent store in production.
 */
export function createMemoryNonceStore(init: MemoryNonceStoreInit = {}): NonceStore {
  const now = init.now ?? Date.now;
  const maxEntries = init.maxEntries ?? 1_000_000;
  const entries = new Map<string, number>();
  let nextSweep = 0;

  const sweep = (at: number): void => {
    for (const [nonce, expiresAt] of entries) if (expiresAt <= at) entries.delete(nonce);
  };

  return {
    seen(nonce, expiresAtMs) {
      const at = now();
      if (at >= nextSweep || entries.size >= maxEntries) {
        sweep(at);
        nextSweep = at + 1_000;
      }
      const known = entries.get(nonce);
      if (known !== undefined && known > at) return Promise.resolve(true);
      if (entries.size >= maxEntries) return Promise.resolve(true);
      entries.set(nonce, expiresAtMs);
      return Promise.resolve(false);
    },
  };
}
