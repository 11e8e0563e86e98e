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
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        const list = value as readonly Json[];
        let out = '[';
        for (let i = 0; i < list.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(list[i]!);
        return out + ']';
      }
      const record = value as { readonly [key: string]: Json };
      const keys = Object.keys(record).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        const v = record[key];
        if (v === undefined) throw new TypeError(`canonicalJson: undefined at ${key}`);
        out += (i === 0 ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(v);
      }
      return out + '}';
    }
    default:
      throw new TypeError(`canonicalJson: unsupported ${typeof value}`);
  }
}

/** SHA-256 hex of the canonical JSON of a value. */
export function hashJson(value: Json): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
