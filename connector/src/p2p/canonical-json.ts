/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace,
 * numbers as `JSON.stringify` writes them. Two equal values always give the
 * same text, so the text can be hashed and signed.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Nesting deeper than this is refused (protects the recursion). */
const MAX_DEPTH = 64;

/**
 * Serialises a JSON value canonically.
 *
 * @throws TypeError when the value holds something JSON cannot carry exactly:
 *   `undefined` inside an array, a non-finite number, a bigint, a function, a
 *   symbol, a non-plain object (Date, Map, class instance), or nesting deeper than 64.
 *   Object properties whose value is `undefined` are omitted, as in `JSON.stringify`.
 */
export function canonicalJson(value: unknown): string {
  return write(value, 0);
}

function write(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new TypeError('canonical JSON: nested too deeply');
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON: non-finite number');
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonical JSON: cannot encode a ${typeof value}`);
  }
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => {
      if (item === undefined) throw new TypeError('canonical JSON: undefined in an array');
      return write(item, depth + 1);
    });
    return `[${items.join(',')}]`;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    throw new TypeError('canonical JSON: only plain objects can be encoded');
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${write(item, depth + 1)}`);
  }
  return `{${parts.join(',')}}`;
}

/** True when `value` can be encoded by {@link canonicalJson}. */
export function isJsonValue(value: unknown): value is JsonValue {
  try {
    canonicalJson(value);
    return true;
  } catch {
    return false;
  }
}
