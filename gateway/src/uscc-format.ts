/**
 * The gateway's schema-level check of a unified social credit code (GB 32100-2015).
 * One small function so that it can later be pointed at the connector's canonical
 * implementation (connector/src/domain/uscc.ts) without touching the schemas.
 */

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/**
 * True when `value` is 18 characters of the GB 32100-2015 alphabet (upper case) whose last
 * character is the check character of the first 17. Never throws.
 */
export function isUsccFormat(value: unknown): boolean {
  if (typeof value !== 'string' || !SHAPE.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(value[i]!) * WEIGHTS[i]!;
  const check = (31 - (sum % 31)) % 31;
  return value[17] === ALPHABET[check];
}
