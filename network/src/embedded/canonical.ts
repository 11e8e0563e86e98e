import { createHash } from 'node:crypto';

/** A JSON value as stored in blocks (no undefined, no non-finite numbers). */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace. Used for every hash and
 * signature of the embedded ledger so that a value re-read from disk hashes the same.
 *
 * @throws TypeError on values JSON cannot represent faithfully (undefined, NaN, Infinity, bigint).
 */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v: Json) => canonicalJson(v)).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as { readonly [key: string]: Json };
    const keys = Object.keys(record).sort();
    const parts: string[] = [];
    for (const key of keys) {
      const v = record[key];
      if (v === undefined) throw new TypeError(`canonicalJson: undefined at ${key}`);
      parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
    }
    return `{${parts.join(',')}}`;
  }
  throw new TypeError(`canonicalJson: unsupported ${typeof value}`);
}

/** SHA-256 hex of the canonical JSON of a value. */
export function hashJson(value: Json): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
