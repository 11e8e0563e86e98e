import { int, pick, streamFor } from './prng.js';
import { type District, DISTRICTS } from './reference-data.js';

/** Enterprises are laid out in blocks; a block holds at most one fraud ring. */
export const RING_BLOCK = 500;
/** Share of blocks that hold a ring (≈ 0.6 % of enterprises end up in rings). */
const RING_PROBABILITY = 0.6;
const SALT = 0x71a6;

export type RingAttribute = 'phone' | 'address' | 'legalRepresentative';

export interface Ring {
  readonly id: string;
  readonly attribute: RingAttribute;
  /** The shared value (never used by any enterprise outside the ring). */
  readonly value: string;
  /** Members register in the ring's district. */
  readonly district: District;
  /** First member index and member count (members are consecutive indexes). */
  readonly start: number;
  readonly size: number;
  /** Days before asOf when the ring's applications start. */
  readonly windowStartDaysAgo: number;
}

/** The ring of a block, if it has one. Depends only on (seed, block). */
export function ringOfBlock(seed: number, block: number): Ring | undefined {
  const r = streamFor(seed, SALT, block);
  if (r() >= RING_PROBABILITY) return undefined;
  const size = int(r, 3, 8);
  const start = block * RING_BLOCK + int(r, 0, RING_BLOCK - size);
  const district = pick(r, DISTRICTS);
  const attribute = (['phone', 'address', 'legalRepresentative'] as const)[int(r, 0, 2)]!;
  const value =
    attribute === 'phone'
      ? `170${String(block % 100_000_000).padStart(8, '0')}`
      : attribute === 'address'
        ? `${district.name}创业大道${block + 1}号${int(r, 1, 30)}栋`
        : `PR${block.toString(16).padStart(7, '0')}`;
  return {
    id: `ring-${block}`,
    attribute,
    value,
    district,
    start,
    size,
    windowStartDaysAgo: int(r, 8, 40),
  };
}

/** The ring enterprise `index` belongs to, if any. */
export function ringAt(seed: number, index: number): Ring | undefined {
  const ring = ringOfBlock(seed, Math.floor(index / RING_BLOCK));
  return ring && index >= ring.start && index < ring.start + ring.size ? ring : undefined;
}
