/**
 * Normal forms of the identifiers a ring shares, so that cosmetic variation (full-width
 * digits, spaces, dashes, a `+86` prefix) does not hide a shared value.
 */

/** Identifier kinds the detector links enterprises by. */
export const RING_ATTRIBUTES = ['phone', 'address', 'legalRepresentative'] as const;
export type RingAttribute = (typeof RING_ATTRIBUTES)[number];

/** Digits only, without a leading `86` country code on an 13-digit mobile number. */
export function normalisePhone(phone: string): string {
  const digits = phone.normalize('NFKC').replace(/\D/g, '');
  return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
}

/** NFKC (full-width → half-width), no whitespace or punctuation, `号楼` read as `栋`. */
export function normaliseAddress(address: string): string {
  return address
    .normalize('NFKC')
    .replace(/[\s,，.。\-—()（）#]/g, '')
    .replace(/号楼/g, '栋')
    .toLowerCase();
}

/** Case and width folded, whitespace removed. */
export function normalisePerson(id: string): string {
  return id.normalize('NFKC').replace(/\s/g, '').toLowerCase();
}

/** The normalised value of one identifier, or undefined when it is empty after normalising. */
export function normaliseAttribute(kind: RingAttribute, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = kind === 'phone' ? normalisePhone(value) : kind === 'address' ? normaliseAddress(value) : normalisePerson(value);
  return v.length === 0 ? undefined : v;
}
