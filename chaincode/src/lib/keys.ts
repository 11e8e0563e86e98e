/**
 * State key layout.
 *
 * Records and exact-match indexes use Fabric composite keys (`\u0000type\u0000attr\u0000`);
 * time-ordered indexes use plain keys with `~` separators so they can be range-scanned
 * (Fabric refuses composite keys in range queries). Ids, tokens and ISO times never
 * contain `~`, so each segment is unambiguous; ISO times sort chronologically.
 */
export const RECORD_KINDS = [
  'institution',
  'subject',
  'product',
  'consent',
  'contract',
  'receipt',
  'check',
  'denial',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Composite-key object types of indexes. */
export const INDEX = {
  identity: 'identity',
  peer: 'peer',
  certificate: 'certificate',
  config: 'config',
} as const;

/** Plain range key of the audit record: `audit~<at>~<txId>`. */
export function auditKey(at: string, txId: string): string {
  return `audit~${at}~${txId}`;
}

/** `audit-inst~<institution>~<at>~<txId>`. */
export function auditByInstitutionKey(institution: string, at: string, txId: string): string {
  return `audit-inst~${institution}~${at}~${txId}`;
}

/** `audit-type~<type>~<at>~<txId>`. */
export function auditByTypeKey(type: string, at: string, txId: string): string {
  return `audit-type~${type}~${at}~${txId}`;
}

/** `lending~<subjectToken>~<occurredAt>~<txId>~<index>` (index zero-padded). */
export function lendingKey(subjectToken: string, occurredAt: string, txId: string, index: number): string {
  return `lending~${subjectToken}~${occurredAt}~${txId}~${String(index).padStart(4, '0')}`;
}

/** Range [start, end) of all lending events of a subject. */
export function lendingRange(subjectToken: string): [string, string] {
  return [`lending~${subjectToken}~`, `lending~${subjectToken}~~`];
}
