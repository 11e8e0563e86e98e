/**
 * Canonical JSON: object keys sorted (by UTF-16 code units) at every level, no whitespace,
 * `undefined` members dropped. Two equal values always give the same bytes, so every
 * endorsing peer writes identical state.
 *
 * @throws TypeError for values JSON cannot represent (bigint, functions, non-finite numbers).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : normalise(v)));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = normalise(member);
    }
    return out;
  }
  throw new TypeError(`canonicalJson: cannot encode ${typeof value}`);
}
