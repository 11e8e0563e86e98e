/**
 * A small seeded PRNG (mulberry32) and the helpers the generator draws with. Every
 * enterprise gets its own stream from (seed, index), so enterprise i can be generated
 * without generating 0 … i−1.
 */

/** A stream of uniform numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: 32-bit state, period 2^32, fast and good enough for synthetic data. */
export function mulberry32(state: number): Random {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes two 32-bit values into one well-spread 32-bit value (murmur3 finaliser). */
export function mix(a: number, b: number): number {
  let h = (a ^ Math.imul(b >>> 0, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A 32-bit seed from a number or a string (FNV-1a over the UTF-16 code units). */
export function seedHash(seed: number | string): number {
  if (typeof seed === 'number' && Number.isSafeInteger(seed))
    return mix(seed >>> 0, Math.floor(seed / 2 ** 32));
  let h = 0x811c9dc5;
  for (const ch of String(seed)) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The stream for item `index` of purpose `salt` under a seed hash. */
export function streamFor(seed: number, salt: number, index: number): Random {
  return mulberry32(mix(mix(seed, salt), index));
}

/** Integer in [lo, hi]. */
export function int(r: Random, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

/** One element of a non-empty list. */
export function pick<T>(r: Random, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)]!;
}

/** Uniform in [lo, hi). */
export function between(r: Random, lo: number, hi: number): number {
  return lo + r() * (hi - lo);
}

/** `k` distinct elements of `list` (k ≤ list.length), in draw order. */
export function sample<T>(r: Random, list: readonly T[], k: number): T[] {
  const pool = [...list];
  const out: T[] = [];
  for (let n = 0; n < k && pool.length > 0; n++)
    out.push(pool.splice(Math.floor(r() * pool.length), 1)[0]!);
  return out;
}
