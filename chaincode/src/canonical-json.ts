/** Deepest nesting of arrays and objects {@link canonicalJson} accepts. */
export const CANONICAL_JSON_MAX_DEPTH = 64;

/**
 * The project's one canonical JSON: object keys sorted (by UTF-16 code units) at every
 * level, no whitespace, object members whose value is `undefined` omitted (as
 * `JSON.stringify` does). Two equal values always give the same bytes, so every endorsing
 * peer writes identical state and every signer hashes the same text.
 *
 * Only JSON data is accepted: `null`, booleans, strings, finite numbers, arrays and plain
 * objects (prototype `Object.prototype` or `null`). Class instances and `Date` are refused —
 * pass ISO strings.
 *
 * @throws TypeError for `undefined` (at the top or inside an array), non-finite numbers,
 *   bigint, functions, symbols, non-plain objects, and nesting deeper than 64.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value, 0, '$'));
}

function normalise(value: unknown, depth: number, path: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number at ${path}`);
    return value;
  }
  if (typeof value !== 'object') throw new TypeError(`canonicalJson: cannot encode ${typeof value} at ${path}`);
  if (depth >= CANONICAL_JSON_MAX_DEPTH) throw new TypeError(`canonicalJson: nesting deeper than ${CANONICAL_JSON_MAX_DEPTH} at ${path}`);
  if (Array.isArray(value)) return value.map((v, i) => normalise(v, depth + 1, `${path}[${i}]`));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    throw new TypeError(`canonicalJson: cannot encode a ${name} instance at ${path} (plain objects only)`);
  }
  // A null prototype, so a `__proto__` member is stored as data, never as the prototype.
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) out[key] = normalise(member, depth + 1, `${path}.${key}`);
  }
  return out;
}
