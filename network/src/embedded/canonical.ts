import { createHash } from 'node:crypto';
import { canonicalJson } from '@xinlian/chaincode';

/**
 * The project's one canonical JSON (`@xinlian/chaincode`): keys sorted, no whitespace. Every
 * hash and signature of the embedded ledger uses it, so a value re-read from disk hashes the same.
 */
export { canonicalJson };

/** A JSON value as stored in blocks (no undefined, no non-finite numbers). */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** SHA-256 hex of the canonical JSON of a value. */
export function hashJson(value: Json): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
