/** The value masked fields are replaced with. */
export const MASKED = '***';

/**
 * A deep copy of `output` with each dotted path in `fields` replaced by {@link MASKED}.
 * Paths that do not exist are ignored; arrays are masked element by element
 * (`reasons.message` masks `message` in every element of `reasons`). Never throws.
 */
export function applyMask<T>(output: T, fields: readonly string[]): T {
  const copy = structuredClone(output) as unknown;
  for (const field of fields) maskPath(copy, field.split('.'));
  return copy as T;
}

function maskPath(node: unknown, path: readonly string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) maskPath(item, path);
    return;
  }
  if (typeof node !== 'object' || node === null || path.length === 0) return;
  const [head, ...rest] = path as [string, ...string[]];
  const obj = node as Record<string, unknown>;
  if (!Object.hasOwn(obj, head)) return;
  if (rest.length === 0) obj[head] = MASKED;
  else maskPath(obj[head], rest);
}
