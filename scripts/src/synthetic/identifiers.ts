import {
  organisationCheckCharacter,
  usccCheckCharacter,
  USCC_ALPHABET,
} from '@xinlian/connector';
import { mix } from './prng.js';

/** 31^8: the number of 8-character organisation-code stems over the USCC alphabet. */
const STEMS = 31 ** 8;
/** Coprime with 31, so i ↦ (i · M + offset) mod 31^8 is a bijection: stems never repeat. */
const STEM_MULTIPLIER = 1_000_003;

/**
 * The USCC of enterprise `index`: `91` (market regulation, enterprise), the district,
 * an organisation code whose first eight characters are a seeded permutation of the
 * index (so codes are unique for index < 31^8), its GB 11714 check, the final check.
 */
export function usccFor(seed: number, index: number, district: string): string {
  let stem = (index * STEM_MULTIPLIER + (mix(seed, 0x5eed) % STEMS)) % STEMS;
  let org = '';
  for (let k = 0; k < 8; k++) {
    org = USCC_ALPHABET[stem % 31]! + org;
    stem = Math.floor(stem / 31);
  }
  const first17 = `91${district}${org}${organisationCheckCharacter(org)}`;
  return first17 + usccCheckCharacter(first17);
}

/** A 32-bit bijection of the index (so per-index identifiers never collide). */
function permuted(seed: number, index: number): number {
  return (Math.imul(index >>> 0, 0x9e3779b1) ^ mix(seed, 0x1d)) >>> 0;
}

/** A unique mobile number (13x/15x/18x + 8 digits) for enterprise `index` (< 10^8). */
export function phoneFor(seed: number, index: number): string {
  const prefix = ['138', '159', '186'][index % 3]!;
  const body = (Math.floor(index / 3) * 7_919 + (mix(seed, 0xf0) % 100_000_000)) % 100_000_000;
  return prefix + String(body).padStart(8, '0');
}

/** A unique street address (building and room from the index) in the firm's district. */
export function addressFor(districtName: string, road: string, index: number): string {
  return `${districtName}${road}${Math.floor(index / 1000) + 1}号${(index % 1000) + 101}室`;
}

/** A blinded, unique legal-representative id for enterprise `index` (no names, no ID numbers). */
export function legalRepresentativeFor(seed: number, index: number): string {
  return 'P' + permuted(seed, index).toString(16).padStart(8, '0');
}
