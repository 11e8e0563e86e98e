import type { AuditType, InstitutionStatus, LendingEventType, ProductKind, Purpose, Role } from './constants.js';

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

/** A lender's lifecycle with one subject: what its next events may be. */
export interface LendingState {
  lender: string;
  subjectToken: string;
  /** Applications not yet turned into a loan or rejected. */
  openApplications: number;
  /** Loans not yet settled. */
  openLoans: number;
  updatedAt: string;
}

export interface CheckRequest {
  checkId: string;
  requester: string;
  subjectToken: string;
  consentId: string;
  productId: string;
  requestedAt: string;
  txId: string;
}

export interface CheckWindow {
  institutions: number;
  applications: number;
}

export interface CheckResult {
  checkId: string;
  requestedAt: string;
  windows: { '7d': CheckWindow; '30d': CheckWindow; '90d': CheckWindow };
  overdueInstitutions: number;
  openLoans: number;
  alert: boolean;
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
