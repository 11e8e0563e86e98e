/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015.
 *
 * 18 characters from `0-9 A-H J-N P Q R T U W X Y`. Positions 9–17 are the
 * organisation code (GB 11714), whose 9th character checks its first eight; the 18th
 * character checks the first seventeen.
 */

/** The USCC alphabet; a character's value is its index here. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]+$/;

/** Why a string is not a valid USCC. */
export type UsccProblem = 'type' | 'length' | 'charset' | 'organisation-check' | 'check-character';

export type UsccValidation =
  | { readonly ok: true }
  | { readonly ok: false; readonly problem: UsccProblem; readonly reason: string };

/** GB 11714 value of an organisation-code character: digits 0–9, letters A=10 … Z=35. */
function orgValue(ch: string): number {
  const c = ch.charCodeAt(0);
  return c <= 57 ? c - 48 : c - 55;
}

/**
 * The GB 11714 check character for the first eight characters of an organisation code
 * (USCC positions 9–16): 11 − (Σ wᵢ·vᵢ mod 11), 10 → `X`, 11 → `0`.
 * Never throws; input outside the alphabet gives a meaningless character, so validate first.
 */
export function organisationCheckCharacter(first8: string): string {
  let sum = 0;
  for (let k = 0; k < 8; k++) sum += ORG_WEIGHTS[k]! * orgValue(first8[k] ?? '0');
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/**
 * The USCC check character (position 18) for the first seventeen characters:
 * (31 − Σ wᵢ·vᵢ mod 31) mod 31, written as the alphabet's character.
 * @throws RangeError when `first17` is not 17 characters of the USCC alphabet.
 */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== 17 || !USCC_PATTERN.test(first17)) {
    throw new RangeError('usccCheckCharacter needs 17 characters of the USCC alphabet');
  }
  let sum = 0;
  for (let k = 0; k < 17; k++) sum += USCC_WEIGHTS[k]! * USCC_ALPHABET.indexOf(first17[k]!);
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/**
 * Validates a USCC: type, length, charset, the organisation-code check (position 17)
 * and the final check character (position 18). Never throws.
 */
export function validateUscc(s: unknown): UsccValidation {
  if (typeof s !== 'string')
    return { ok: false, problem: 'type', reason: 'a USCC must be a string' };
  if (s.length !== 18)
    return { ok: false, problem: 'length', reason: `a USCC has 18 characters, got ${s.length}` };
  if (!USCC_PATTERN.test(s)) {
    return {
      ok: false,
      problem: 'charset',
      reason: 'a USCC uses only 0-9 and A-H J-N P Q R T U W X Y (no I, O, S, V, Z)',
    };
  }
  const orgCheck = organisationCheckCharacter(s.slice(8, 16));
  if (s[16] !== orgCheck) {
    return {
      ok: false,
      problem: 'organisation-check',
      reason: `organisation code check character should be ${orgCheck}, got ${s[16]}`,
    };
  }
  const check = usccCheckCharacter(s.slice(0, 17));
  if (s[17] !== check) {
    return {
      ok: false,
      problem: 'check-character',
      reason: `check character should be ${check}, got ${s[17]}`,
    };
  }
  return { ok: true };
}

/** True when `s` is a valid USCC. */
export function isValidUscc(s: unknown): s is string {
  return validateUscc(s).ok;
}
