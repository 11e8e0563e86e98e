import type { AuditType, InstitutionStatus, LendingAttributeKind, LendingEventType, ProductKind, Purpose, Role } from './constants.js';

/** Times are ISO-8601 UTC strings with milliseconds; addresses are EIP-55. */
export interface Institution {
  id: string;
  name: string;
  roles: Role[];
  status: InstitutionStatus;
  signerAddress: string;
  mspId?: string;
  clientId?: string;
  peerId?: string;
  addresses: string[];
  admittedAt: string;
  updatedAt: string;
  statusReason?: string;
}

export interface Subject {
  subjectToken: string;
  signers: string[];
  registeredBy: string;
  registeredAt: string;
  updatedAt: string;
}

export interface ProductListing {
  exchange: string;
  certificateNo: string;
  listedAt: string;
}

export interface Product {
  id: string;
  name: string;
  provider: string;
  kind: ProductKind;
  classification: 1 | 2 | 3 | 4;
  policy: Record<string, unknown>;
  outputSchemaHash: string;
  modelVersion: string;
  /** Stored `active` or `delisted`; read as `suspended` while the provider is suspended. */
  status: 'active' | 'delisted' | 'suspended';
  publishedAt: string;
  updatedAt: string;
  listing?: ProductListing;
}

export interface Consent {
  consentId: string;
  subjectToken: string;
  grantee: string;
  products: string[];
  purpose: Purpose;
  validUntil: string;
  issuedAt: string;
  signer: string;
  signature: string;
  status: 'active' | 'revoked';
  grantedAt: string;
  grantedBy: string;
  txId: string;
  revokedAt?: string;
  revokedBy?: string;
}

export interface UsageContract {
  contractId: string;
  productId: string;
  provider: string;
  consumer: string;
  purpose: Purpose;
  validUntil: string;
  maxUses: number;
  ratePerMinute: number;
  policyHash: string;
  providerSignature: string;
  consumerSignature: string;
  /** `expired` is computed on read once `validUntil` has passed. */
  status: 'active' | 'terminated' | 'expired';
  agreedAt: string;
  txId: string;
  terminatedAt?: string;
  terminatedBy?: string;
  terminationReason?: string;
}

export interface Receipt {
  receiptId: string;
  contractId: string;
  consentId: string;
  productId: string;
  modelVersion: string;
  subjectToken: string;
  outputHash: string;
  /** Unix seconds, as signed. */
  issuedAt: number;
  signature: string;
  provider: string;
  consumer: string;
  recordedAt: string;
  txId: string;
}

export interface LendingEvent {
  subjectToken: string;
  type: LendingEventType;
  /** Integer, fen. */
  amount?: number;
  occurredAt: string;
  /** On an application only: identifiers as blinded tokens (`0x` + 64 hex), never plain. */
  attributes?: Partial<Record<LendingAttributeKind, string>>;
  institution: string;
  txId: string;
  index: number;
  /** The lender's batch id (absent on events recorded before batch ids). */
  batchId?: string;
}

/** One recorded `lending:Record` batch, keyed by (lender, batchId). */
export interface LendingBatch {
  batchId: string;
  institution: string;
  /** `0x` + sha256 hex of the canonical JSON of the events as submitted. */
  eventsHash: string;
  /** The transaction that recorded it. */
  txId: string;
  accepted: number;
  recordedAt: string;
}

export interface CheckRequest {
  checkId: string;
  requester: string;
  subjectToken: string;
  consentId: string;
  productId: string;
  /** The consent's purpose (absent on checks recorded before purposes other than pre_loan). */
  purpose?: Purpose;
  requestedAt: string;
  txId: string;
}

/** Codes explaining a check's `alert`. */
export type CheckReason = 'MULTI_APPLICATION_30D' | 'OVERDUE_OTHER_90D';

/** Names of the check windows (see CHECK_WINDOWS_DAYS). */
export type CheckWindowName = '7d' | '15d' | '30d' | '90d' | '180d' | '365d';

/** Distinct institutions and applications of one lender type in a window. */
export interface CheckLenderTypeCount {
  institutions: number;
  applications: number;
}

export interface CheckWindow {
  /** Distinct other institutions with an application in the window. */
  institutions: number;
  applications: number;
  loans: number;
  rejections: number;
  byLenderType: { bank: CheckLenderTypeCount; microlender: CheckLenderTypeCount; guarantor: CheckLenderTypeCount; other: CheckLenderTypeCount };
}

export interface CheckResult {
  checkId: string;
  requestedAt: string;
  /** The purpose of the consent the check was made under. */
  purpose: Purpose;
  windows: Record<CheckWindowName, CheckWindow>;
  /** Other institutions whose latest overdue is within 90 days, a loan still open (v1). */
  overdueInstitutions: number;
  /** Other institutions with an overdue dated within five years (older never counts). */
  overdueInstitutions5y: number;
  /** Other institutions' loans not settled (v1). */
  openLoans: number;
  /** 共债: other institutions' loans not settled, the lenders holding them, fen still owed. */
  debt: { lenders: number; openLoans: number; outstandingAmount: number };
  /** Over other institutions' applications; null when there is none. */
  velocity: {
    daysSinceLastApplication: number;
    daysSinceFirstApplication: number;
    monthsWithApplications12m: number;
    maxApplicationsIn24h: number;
  } | null;
  /** The requester's own activity, apart. */
  self: { applications365d: number; openLoans: number };
  /** Codes explaining `alert` (empty when false). */
  reasons: CheckReason[];
  alert: boolean;
  /** Counted records under an open dispute (0 until disputes exist). */
  disputed: number;
}

/** One per committed business change or denial; also the event payload. */
export interface AuditRecord {
  txId: string;
  type: AuditType;
  /** The acting institution (for a `denied` record, the refused one). */
  institution: string;
  at: string;
  /** Every institution the record concerns (the acting one, contract parties, grantee, requester…), sorted. */
  parties: string[];
  /** Present when the record concerns one enterprise. */
  subjectToken?: string;
  [detail: string]: unknown;
}

export interface Denial {
  txId: string;
  institution: string;
  action: string;
  code: string;
  message: string;
  at: string;
}

/** What a denied write returns (the transaction commits with only its denial). */
export interface DeniedResult {
  denied: { code: string; message: string; action: string };
}
