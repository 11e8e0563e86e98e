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
  'ringcheck',
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

/** Audit indexes: every audit record is written under each, in both time orders. */
export type AuditIndex =
  | { readonly by: 'all' }
  | { readonly by: 'institution'; readonly id: string }
  | { readonly by: 'type'; readonly type: string }
  | { readonly by: 'subject'; readonly subjectToken: string };

/** Scan order of audit indexes. */
export type AuditOrder = 'asc' | 'desc';

const AUDIT_PREFIX: Record<AuditIndex['by'], string> = { all: 'audit', institution: 'audit-inst', type: 'audit-type', subject: 'audit-subj' };
const INVERT_MS = 999_999_999_999_999;

/**
 * Key prefix of an audit index, up to and including the `~` before the time:
 * `audit~`, `audit-inst~<id>~`, `audit-type~<type>~`, `audit-subj~<token>~`; the newest-first
 * twins insert `-desc` (`audit-desc~`, `audit-inst-desc~<id>~`, …).
 */
export function auditPrefix(index: AuditIndex, order: AuditOrder): string {
  const base = AUDIT_PREFIX[index.by] + (order === 'desc' ? '-desc' : '');
  switch (index.by) {
    case 'all':
      return `${base}~`;
    case 'institution':
      return `${base}~${index.id}~`;
    case 'type':
      return `${base}~${index.type}~`;
    case 'subject':
      return `${base}~${index.subjectToken}~`;
  }
}

/**
 * The time segment of an audit key: the ISO time oldest-first, or 15 digits of
 * (10^15 − 1 − ms) newest-first, so a forward range scan reads newest first.
 */
export function auditTimeSegment(at: string, order: AuditOrder): string {
  if (order === 'asc') return at;
  return String(INVERT_MS - Date.parse(at)).padStart(15, '0');
}

/**
 * Key of the `seq`-th audit record of a transaction in an index:
 * `<prefix><time>~<txId>~<seq>` (seq 4 digits, inverted newest-first).
 */
export function auditKey(index: AuditIndex, order: AuditOrder, at: string, txId: string, seq: number): string {
  const s = order === 'asc' ? seq : 9999 - seq;
  return `${auditPrefix(index, order)}${auditTimeSegment(at, order)}~${txId}~${String(s).padStart(4, '0')}`;
}

/** Composite-key type of the lending batch record: (lender, batchId). */
export const LENDING_BATCH = 'lending-batch';
/** Composite-key type of the contracts-by-product index: (productId, contractId). */
export const CONTRACT_BY_PRODUCT = 'contract-product';

/** `lending~<subjectToken>~<occurredAt>~<txId>~<index>` (index zero-padded). */
export function lendingKey(subjectToken: string, occurredAt: string, txId: string, index: number): string {
  return `lending~${subjectToken}~${occurredAt}~${txId}~${String(index).padStart(4, '0')}`;
}

