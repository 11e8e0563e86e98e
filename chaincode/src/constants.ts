/** Institution roles. */
export const ROLES = ['regulator', 'operator', 'provider', 'microlender', 'guarantor', 'bank', 'exchange'] as const;
export type Role = (typeof ROLES)[number];

/** Institution statuses. */
export const INSTITUTION_STATUSES = ['pending', 'active', 'suspended'] as const;
export type InstitutionStatus = (typeof INSTITUTION_STATUSES)[number];

/** Purposes a consent or usage contract can be given for. */
export const PURPOSES = ['pre_loan', 'in_loan', 'post_loan', 'guarantee'] as const;
export type Purpose = (typeof PURPOSES)[number];

/** Kinds of data product; `check` products back multi-lending checks, `ring` products fraud-ring checks. */
export const PRODUCT_KINDS = ['score', 'report', 'alert', 'check', 'ring'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

/** Lending event types reported by lenders. */
export const LENDING_EVENT_TYPES = ['application', 'loan', 'repayment', 'overdue', 'settled', 'rejected'] as const;
export type LendingEventType = (typeof LENDING_EVENT_TYPES)[number];
/** Identifiers an `application` event may carry, each only as a consortium-keyed blinded token. */
export const LENDING_ATTRIBUTE_KINDS = ['phone', 'address', 'legalRepresentative', 'device', 'bankAccount'] as const;
export type LendingAttributeKind = (typeof LENDING_ATTRIBUTE_KINDS)[number];

/** Roles allowed to report lending events and request multi-lending checks. */
export const LENDER_ROLES: readonly Role[] = ['microlender', 'bank', 'guarantor'];

/**
 * Audit record types; each is also the name of the chaincode event the transaction sets.
 */
export const AUDIT_TYPES = [
  'institution_admitted',
  'institution_suspended',
  'institution_reinstated',
  'institution_updated',
  'subject_registered',
  'subject_signers_rotated',
  'product_published',
  'product_updated',
  'product_delisted',
  'product_listed',
  'product_unlisted',
  'consent_granted',
  'consent_revoked',
  'contract_agreed',
  'contract_terminated',
  'receipt_recorded',
  'lending_events_recorded',
  'multilending_checked',
  'fraudring_checked',
  'denied',
] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];

/** Chaincode event names (= audit types). */
export const EVENT_NAMES: Readonly<Record<AuditType, AuditType>> = Object.freeze(
  Object.fromEntries(AUDIT_TYPES.map((t) => [t, t])) as Record<AuditType, AuditType>,
);

/** A multi-lending check result can be read for this long after the request. */
export const CHECK_RESULT_TTL_MS = 15 * 60 * 1000;

/** Windows (days) of the multi-lending check. */
export const CHECK_WINDOWS_DAYS = [7, 15, 30, 90, 180, 365] as const;

/** Consent purposes a multi-lending check may be made under (a guarantor checks before it guarantees). */
export const CHECK_PURPOSES: readonly Purpose[] = ['pre_loan', 'in_loan', 'post_loan', 'guarantee'];

/** Most lending events accepted in one `lending:Record` batch. */
export const MAX_LENDING_BATCH = 500;

/** Default and maximum page size of `audit:Events`. */
export const AUDIT_PAGE_DEFAULT = 100;
export const AUDIT_PAGE_MAX = 1000;
