import { getAddress, isAddress } from 'ethers';
import { ErrorCode, ccError } from './errors.js';

/**
 * Argument validation. Every function throws `CC_BAD_REQUEST` naming the field on bad input,
 * so malformed arguments never reach state.
 */

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
export const SUBJECT_TOKEN_PATTERN = /^0x[0-9a-f]{64}$/;
export const HASH_PATTERN = /^0x[0-9a-fA-F]{64}$/;
export const SIGNATURE_PATTERN = /^0x[0-9a-fA-F]{130}$/;
const CONTROL = /[\u0000-\u001f\u007f~]/;

export type Json = Record<string, unknown>;

function bad(field: string, why: string): never {
  throw ccError(ErrorCode.BAD_REQUEST, `${field} ${why}`);
}

/** Parses a JSON argument. @throws CC_BAD_REQUEST when not JSON. */
export function parseJson(field: string, text: unknown): unknown {
  if (typeof text !== 'string' || text.length === 0) bad(field, 'is required');
  if (text.length > 256 * 1024) bad(field, 'is too large');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return bad(field, 'is not valid JSON');
  }
}

/** Parses a JSON object argument. @throws CC_BAD_REQUEST */
export function parseObject(field: string, text: unknown): Json {
  const v = parseJson(field, text);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad(field, 'must be a JSON object');
  return v as Json;
}

/** A record id (letters, digits, `._:@-`, ≤ 128). @throws CC_BAD_REQUEST */
export function id(field: string, v: unknown): string {
  if (typeof v !== 'string' || !ID_PATTERN.test(v)) bad(field, 'must be an id ([A-Za-z0-9._:@-], 1-128 chars)');
  return v;
}

/** Printable text without `~`, 1..max characters. @throws CC_BAD_REQUEST */
export function text(field: string, v: unknown, max = 256): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max || CONTROL.test(v)) {
    bad(field, `must be printable text of 1-${max} characters`);
  }
  return v;
}

/** Optional printable text. @throws CC_BAD_REQUEST */
export function optionalText(field: string, v: unknown, max = 256): string | undefined {
  return v === undefined || v === null ? undefined : text(field, v, max);
}

/** A subject token: `0x` + 64 lowercase hex. @throws CC_BAD_REQUEST */
export function subjectToken(field: string, v: unknown): string {
  if (typeof v !== 'string' || !SUBJECT_TOKEN_PATTERN.test(v)) bad(field, 'must be 0x followed by 64 lowercase hex');
  return v;
}

/** A 32-byte hash: `0x` + 64 hex, returned lowercase. @throws CC_BAD_REQUEST */
export function hash(field: string, v: unknown): string {
  if (typeof v !== 'string' || !HASH_PATTERN.test(v)) bad(field, 'must be 0x followed by 64 hex');
  return v.toLowerCase();
}

/** A 65-byte secp256k1 signature in hex. @throws CC_BAD_REQUEST */
export function signature(field: string, v: unknown): string {
  if (typeof v !== 'string' || !SIGNATURE_PATTERN.test(v)) bad(field, 'must be a 65-byte hex signature');
  return v.toLowerCase();
}

/** An Ethereum address in any case, returned EIP-55. @throws CC_BAD_REQUEST */
export function address(field: string, v: unknown): string {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(v) || !isAddress(v)) bad(field, 'must be an address');
  try {
    return getAddress(v);
  } catch {
    // A mixed-case address with a wrong checksum.
    return bad(field, 'has a bad EIP-55 checksum');
  }
}

/** A non-empty array of distinct addresses (case-insensitive), ≤ max, returned EIP-55. @throws CC_BAD_REQUEST */
export function addressList(field: string, v: unknown, max = 10): string[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > max) bad(field, `must be an array of 1-${max} addresses`);
  const out = v.map((a, i) => address(`${field}[${i}]`, a));
  if (new Set(out).size !== out.length) bad(field, 'has duplicates');
  return out;
}

/** An array of distinct ids, 1..max. @throws CC_BAD_REQUEST */
export function idList(field: string, v: unknown, max = 50): string[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > max) bad(field, `must be an array of 1-${max} ids`);
  const out = v.map((x, i) => id(`${field}[${i}]`, x));
  if (new Set(out).size !== out.length) bad(field, 'has duplicates');
  return out;
}

/** An array of printable strings, 0..max. @throws CC_BAD_REQUEST */
export function textList(field: string, v: unknown, max = 16, maxLength = 256): string[] {
  if (!Array.isArray(v) || v.length > max) bad(field, `must be an array of at most ${max} strings`);
  return v.map((x, i) => text(`${field}[${i}]`, x, maxLength));
}

/** One of the allowed values. @throws CC_BAD_REQUEST */
export function oneOf<T extends string>(field: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) bad(field, `must be one of ${allowed.join(', ')}`);
  return v as T;
}

/** An integer in [min, max]. @throws CC_BAD_REQUEST */
export function int(field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) bad(field, `must be an integer in [${min}, ${max}]`);
  return v;
}

/** Unix seconds (integer, up to year 9999). @throws CC_BAD_REQUEST */
export function unixSeconds(field: string, v: unknown): number {
  return int(field, v, 0, 253402300799);
}

/** An ISO-8601 time, returned normalised (`toISOString`). @throws CC_BAD_REQUEST */
export function isoTime(field: string, v: unknown): string {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) {
    bad(field, 'must be an ISO-8601 time with a zone');
  }
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) bad(field, 'is not a valid time');
  return new Date(ms).toISOString();
}

/** Rejects members the shape does not know. @throws CC_BAD_REQUEST */
export function onlyKeys(field: string, obj: Json, allowed: readonly string[]): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) bad(field, `has unknown member ${k}`);
}

/** Seconds → ISO. */
export function secondsToIso(s: number): string {
  return new Date(s * 1000).toISOString();
}
