import { int, pick, streamFor } from './prng.js';
import { type District, DISTRICTS, ROADS } from './reference-data.js';

/**
 * Enterprises are laid out in blocks of 500. A block may hold one fraud ring (in its first
 * 100 indexes) and, apart from it, benign sharing that a naive detector would flag: an
 * accounting agency registering its clients at its own address and phone (indexes
 * 100–199), a business centre whose tenants share its address (200–349) and a group of
 * companies under one legal representative (400–479). Benign firms borrow as ordinary
 * firms do; ring members apply together to several lenders within a week.
 */
export const RING_BLOCK = 500;
/** Share of blocks that hold a ring (≈ 0.6 % of enterprises end up in rings). */
const RING_PROBABILITY = 0.6;
const AGENCY_PROBABILITY = 0.35;
const CENTRE_PROBABILITY = 0.35;
const GROUP_PROBABILITY = 0.5;
const SALT = 0x71a6;
const SHARING_SALT = 0x5ba7;

export type RingAttribute = 'phone' | 'address' | 'legalRepresentative';
const ATTRIBUTES: readonly RingAttribute[] = ['phone', 'address', 'legalRepresentative'];

export interface Ring {
  readonly id: string;
  /** The two or three kinds of identifier the ring shares (each held by at least two members). */
  readonly attributes: readonly RingAttribute[];
  /** Shared values (never used outside the ring), before per-member formatting. */
  readonly phone: string;
  readonly address: string;
  readonly legalRepresentative: string;
  /** Members register in the ring's district. */
  readonly district: District;
  /** First member index and member count (members are consecutive indexes). */
  readonly start: number;
  readonly size: number;
  /** Days before asOf when the ring's applications start. */
  readonly windowStartDaysAgo: number;
}

/** Benign sharing kinds. */
export type SharingKind = 'agency' | 'business_centre' | 'group_company';

export interface SharedGroup {
  readonly id: string;
  readonly kind: SharingKind;
  readonly district: District;
  readonly start: number;
  readonly size: number;
  readonly phone?: string;
  readonly address?: string;
  readonly legalRepresentative?: string;
}

/** The ring of a block, if it has one. Depends only on (seed, block). */
export function ringOfBlock(seed: number, block: number): Ring | undefined {
  const r = streamFor(seed, SALT, block);
  if (r() >= RING_PROBABILITY) return undefined;
  const size = int(r, 3, 8);
  const start = block * RING_BLOCK + int(r, 0, 100 - size);
  const district = pick(r, DISTRICTS);
  const dropped = int(r, 0, 3); // 0–2 drops that kind, 3 keeps all three
  return {
    id: `ring-${block}`,
    attributes: ATTRIBUTES.filter((_a, i) => i !== dropped),
    phone: `170${String(block % 100_000_000).padStart(8, '0')}`,
    address: `${district.name}创业大道${block + 1}号${int(r, 1, 30)}栋`,
    legalRepresentative: `PR${block.toString(16).padStart(7, '0')}`,
    district,
    start,
    size,
    windowStartDaysAgo: int(r, 8, 40),
  };
}

/** The benign shared groups of a block (0–3, disjoint from its ring). */
export function sharedGroupsOfBlock(seed: number, block: number): SharedGroup[] {
  const r = streamFor(seed, SHARING_SALT, block);
  const base = block * RING_BLOCK;
  const hex = block.toString(16).padStart(7, '0');
  const groups: SharedGroup[] = [];
  if (r() < AGENCY_PROBABILITY) {
    const size = int(r, 10, 40);
    const district = pick(r, DISTRICTS);
    groups.push({
      id: `agency-${block}`,
      kind: 'agency',
      district,
      start: base + 100 + int(r, 0, 100 - size),
      size,
      phone: `020${String((block * 7) % 100_000_000).padStart(8, '0')}`,
      address: `${district.name}${pick(r, ROADS)}财富中心${int(r, 1, 40)}楼${block % 1000}室`,
    });
  }
  if (r() < CENTRE_PROBABILITY) {
    const size = int(r, 15, 60);
    const district = pick(r, DISTRICTS);
    groups.push({
      id: `centre-${block}`,
      kind: 'business_centre',
      district,
      start: base + 200 + int(r, 0, 150 - size),
      size,
      address: `${district.name}${pick(r, ROADS)}${block + 1}号商务中心A座`,
    });
  }
  if (r() < GROUP_PROBABILITY) {
    const size = int(r, 3, 6);
    groups.push({ id: `group-${block}`, kind: 'group_company', district: pick(r, DISTRICTS), start: base + 400 + int(r, 0, 80 - size), size, legalRepresentative: `PG${hex}` });
  }
  return groups;
}

/** The ring enterprise `index` belongs to, if any. */
export function ringAt(seed: number, index: number): Ring | undefined {
  const ring = ringOfBlock(seed, Math.floor(index / RING_BLOCK));
  return ring && index >= ring.start && index < ring.start + ring.size ? ring : undefined;
}

/** The benign shared group enterprise `index` belongs to, if any. */
export function sharedGroupAt(seed: number, index: number): SharedGroup | undefined {
  return sharedGroupsOfBlock(seed, Math.floor(index / RING_BLOCK)).find((g) => index >= g.start && index < g.start + g.size);
}

const FULL_WIDTH_DIGITS = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));

/**
 * The identifiers a ring member registers with: members 0 and 1 hold every shared kind, later
 * members may leave out one kind (using their own value); values vary in format (`+86`,
 * dashes, full-width digits, spaces), as registrations typed by different hands do.
 */
export function ringMemberIdentifiers(seed: number, ring: Ring, index: number): { shared: RingAttribute[]; phone?: string; address?: string; legalRepresentative?: string } {
  const r = streamFor(seed, SALT + 1, index);
  const position = index - ring.start;
  const omitted = position >= 2 && r() < 0.35 ? ring.attributes[position % ring.attributes.length] : undefined;
  const shared = ring.attributes.filter((a) => a !== omitted);
  const phoneStyle = int(r, 0, 2);
  const addressStyle = int(r, 0, 2);
  const p = ring.phone;
  return {
    shared,
    ...(shared.includes('phone') ? { phone: phoneStyle === 0 ? p : phoneStyle === 1 ? `+86 ${p}` : `${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}` } : {}),
    ...(shared.includes('address')
      ? { address: addressStyle === 0 ? ring.address : addressStyle === 1 ? FULL_WIDTH_DIGITS(ring.address) : ring.address.replace('创业大道', ' 创业大道 ') }
      : {}),
    ...(shared.includes('legalRepresentative') ? { legalRepresentative: ring.legalRepresentative } : {}),
  };
}
