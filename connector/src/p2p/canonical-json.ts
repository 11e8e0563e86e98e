/**
 * The connector's JSON types and the one canonical JSON of the project: `canonicalJson` is
 * the chaincode's (keys sorted, no whitespace, `undefined` members omitted; TypeError for
 * what JSON cannot carry exactly), so envelopes, hashes and the ledger agree byte for byte.
 */
import { canonicalJson } from '@xinlian/chaincode';

export { canonicalJson };

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** True when `value` can be encoded by {@link canonicalJson}. */
export function isJsonValue(value: unknown): value is JsonValue {
  try {
    canonicalJson(value);
    return true;
  } catch {
    return false;
  }
}
