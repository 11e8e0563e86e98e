export const DAY_MS = 86_400_000;

/** Start of the UTC day `YYYY-MM-DD` in ms, or NaN. */
export function dayStart(date: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
}

/** `YYYY-MM-DD` of a time. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Full ISO-8601 UTC of a time. */
export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}

/** End (exclusive, ms) of the month `back` months before the month of `asOfMs`. */
export function monthEnd(asOfMs: number, back: number): number {
  const d = new Date(asOfMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back + 1, 1);
}
