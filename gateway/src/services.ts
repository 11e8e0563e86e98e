/**
 * What the gateway needs from the layers below it: one method per API operation of
 * shared/API.md. The gateway validates input (schemas, USCC check character, signature
 * encoding), authenticates the caller and checks roles; a Services implementation does the
 * rest through the institution's connector and the ledger client, and throws coded errors
 * (`{ code, message, rule? }` with `CC_*`, `LEDGER_*`, `CONN_*` or `GW_*` codes) that
 * `error-map.ts` turns into public errors.
 *
 * Times are ISO-8601 UTC strings, amounts integers in fen, subject tokens `0x` + 64 hex.
 * Returned objects may carry more fields than named here; they are passed through.
 * (Arrays in results are typed mutable only because fastify's response types require it.)
 */

export {
  ROLES,
  PURPOSES,
  PRODUCT_KINDS,
  LENDING_EVENT_TYPES,
  type Role,
  type Purpose,
  type ProductKind,
  type LendingEventType,
} from '@xinlian/chaincode';
import type { FraudRingResult } from './schemas/fraud-rings.js';
import { AUDIT_TYPES, type CheckResult, type LendingAttributeKind, type LendingEventType, type ProductKind, type Purpose, type Role } from '@xinlian/chaincode';

/** Audit event types: those shared/API.md names, and the few more the chaincode records. */
export const AUDIT_EVENT_TYPES = AUDIT_TYPES;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export type InstitutionStatus = 'pending' | 'active' | 'suspended';

/** The authenticated caller: the institution its API key is bound to, and the key's roles. */
export interface Caller {
  readonly institutionId: string;
  readonly roles: readonly Role[];
}

export interface Institution {
  readonly id: string;
  readonly name: string;
  readonly roles: Role[];
  readonly status: InstitutionStatus;
  readonly [extra: string]: unknown;
}

export interface AdmitInstitutionInput {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly signerAddress: string;
}

/** An institution this gateway will host: its keys, ledger identity and connector are made here. */
export interface HostInstitutionInput {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
}

/**
 * Hosts newly admitted institutions in this gateway's process (implemented by the demo in
 * scripts/src/demo). `host` generates and stores the institution's signer key and ledger
 * identity, calls `admit(signerAddress)` (which submits the admission through the
 * regulator's connector), then opens and starts its connector and adds it to the connectors
 * map the services use. Hosted institutions are persisted in the data dir and reopened on
 * the next start.
 */
export interface InstitutionHost {
  host(input: HostInstitutionInput, admit: (signerAddress: string) => Promise<void>): Promise<void>;
}

/** EIP-712 typed data for a signer: `{ domain, types, primaryType, message }`. */
export interface TypedData {
  readonly domain: Readonly<Record<string, unknown>>;
  readonly types: Readonly<Record<string, { readonly name: string; readonly type: string }[]>>;
  readonly primaryType: string;
  readonly message: Readonly<Record<string, unknown>>;
}

export interface ConsentDraftInput {
  readonly uscc: string;
  readonly grantee: string;
  readonly products: readonly string[];
  readonly purpose: Purpose;
  readonly validUntil: string;
}

/** The EIP-712 `Consent` message as signed (times in unix seconds, numbers or decimal strings). */
export interface ConsentMessage {
  readonly consentId: string;
  readonly subjectToken: string;
  readonly grantee: string;
  readonly products: readonly string[];
  readonly purpose: Purpose;
  readonly validUntil: number | string;
  readonly issuedAt: number | string;
}

export interface ConsentView {
  readonly consentId: string;
  readonly grantee: string;
  readonly products: string[];
  readonly purpose: Purpose;
  readonly validUntil: string;
  readonly status: string;
  readonly [extra: string]: unknown;
}

export interface ProductListing {
  readonly exchange: string;
  readonly certificateNo: string;
  readonly listedAt: string;
}

export interface Product {
  readonly id: string;
  readonly provider: string;
  readonly name: string;
  readonly kind: ProductKind;
  readonly classification: number;
  readonly modelVersion: string;
  readonly status: string;
  readonly listing?: ProductListing;
  readonly [extra: string]: unknown;
}

export interface ProductWithPolicy extends Product {
  readonly policy: Readonly<Record<string, unknown>>;
}

export interface PublishProductInput {
  readonly id: string;
  readonly name: string;
  readonly kind: ProductKind;
  readonly classification: number;
  readonly policy: Readonly<Record<string, unknown>>;
  readonly modelVersion: string;
  readonly outputSchema: Readonly<Record<string, unknown>>;
}

export interface ContractInput {
  readonly productId: string;
  readonly purpose: Purpose;
  readonly validUntil?: string;
}

export interface ContractView {
  readonly contractId: string;
  readonly provider: string;
  readonly consumer: string;
  readonly productId: string;
  readonly purpose: Purpose;
  readonly validUntil: string;
  readonly status: string;
  readonly [extra: string]: unknown;
}

export interface RiskReportInput {
  readonly contractId: string;
  readonly consentId: string;
  readonly uscc: string;
}

export interface RiskDimensions {
  readonly basicInfo: number;
  readonly operationalStability: number;
  readonly creditHistory: number;
  readonly businessCondition: number;
  readonly repaymentCapacity: number;
}

export interface RiskReport {
  readonly productId: string;
  readonly subjectToken: string;
  readonly score: number;
  readonly grade: 'A' | 'B' | 'C' | 'D' | 'E';
  readonly dimensions: RiskDimensions;
  readonly reasonCodes: string[];
  readonly modelVersion: string;
  readonly generatedAt: string;
  readonly [extra: string]: unknown;
}

export interface Receipt {
  readonly receiptId: string;
  readonly contractId: string;
  readonly consentId: string;
  readonly outputHash: string;
  readonly provider: string;
  readonly signature: string;
  readonly txId: string;
  readonly [extra: string]: unknown;
}

export interface RiskReportResult {
  readonly report: RiskReport;
  readonly receipt: Receipt;
}

export interface LendingEventInput {
  readonly uscc: string;
  readonly type: LendingEventType;
  readonly amount?: number;
  readonly occurredAt: string;
  /** On an application only; plain here, blinded by the lender's connector before it leaves. */
  readonly attributes?: Partial<Record<LendingAttributeKind, string>>;
}

export interface LendingEventsResult {
  readonly accepted: number;
  readonly txIds: string[];
}

/** A multi-lending check (shared/API.md, Multi-lending v1.1): counts over other institutions, the caller's own apart. */
export type MultiLendingResult = Readonly<CheckResult> & { readonly txId: string };

export interface ProvenanceInput {
  readonly report: Readonly<Record<string, unknown>>;
  readonly receipt: Readonly<Record<string, unknown>>;
}

export interface ProvenanceVerification {
  readonly valid: boolean;
  readonly checks: {
    readonly hash: boolean;
    readonly signature: boolean;
    readonly ledger: boolean;
    readonly contract: boolean;
    readonly consent: boolean;
  };
}

export interface RecordedReceipt extends Receipt {
  readonly block: number;
}

export interface AuditQuery {
  /** Events that name the institution as a party (submitter, consumer, grantee, requester, …). */
  readonly institution?: string;
  /** Events about one enterprise (blinded into its subject token before the query leaves). */
  readonly subject?: string;
  readonly type?: AuditEventType;
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
  readonly cursor?: string;
  /** `asc` (default): oldest first; `desc`: newest first. */
  readonly order?: 'asc' | 'desc';
}

export interface AuditStatsQuery {
  readonly from: string;
  readonly to: string;
  readonly bucket: 'hour' | 'day';
}

export interface AuditStatsBucket {
  /** Start of the bucket, ISO-8601 UTC. */
  readonly start: string;
  readonly type: string;
  readonly institution: string;
  readonly count: number;
}

export interface AuditStats {
  readonly buckets: AuditStatsBucket[];
}

export interface AuditEvent {
  readonly txId: string;
  readonly block: number;
  readonly type: AuditEventType;
  readonly institution: string;
  readonly at: string;
  readonly [extra: string]: unknown;
}

export interface AuditPage {
  readonly events: AuditEvent[];
  /** Present while more events remain. */
  readonly cursor?: string;
}

export interface IntegrityResult {
  readonly ok: boolean;
  readonly height: number;
  readonly headHash: string;
}

export interface Readiness {
  readonly ledger: boolean;
  readonly connector: boolean;
  /** libp2p nodes started and reachable (connector readiness). */
  readonly p2p?: boolean;
  /** Outbox draining (connector readiness). */
  readonly outbox?: boolean;
  /** Hosted institutions that are suspended: their connectors are paused by design and left out of the verdict. */
  readonly suspended?: readonly string[];
}

/** A refusal made by the gateway, for the ledger (`audit:RecordRefusals`). */
export interface GatewayRefusal {
  readonly action: string;
  readonly code: string;
  readonly message: string;
  readonly requester: string;
}

export interface ProductVersionInput {
  readonly modelVersion: string;
  readonly outputSchema?: Readonly<Record<string, unknown>>;
}

export interface IdempotencyOptions {
  /** The request's Idempotency-Key: the ledger batch id or exchange request id is derived from it, so a retry is done once. */
  readonly idempotencyKey?: string;
}


/**
 * The gateway's only way to the ledger and to other institutions. Every method may throw a
 * coded error (see module doc); a method that returns has succeeded.
 */
export interface Services {
  /** Status of an institution on the ledger; undefined when it is not a member. Used for the suspension check. */
  institutionStatus(institutionId: string): Promise<InstitutionStatus | undefined>;
  /** Whether the ledger and the connector are reachable (GET /readyz). Should not throw. */
  readiness(): Promise<Readiness>;
  /** Writes the gateway's own refusals to the ledger as `denied` records (1–100 at a time). */
  recordRefusals(refusals: readonly GatewayRefusal[]): Promise<void>;

  listInstitutions(caller: Caller): Promise<readonly Institution[]>;
  admitInstitution(caller: Caller, input: AdmitInstitutionInput): Promise<Institution>;
  /** Whether {@link hostInstitution} can be used (an {@link InstitutionHost} is configured). */
  canHost(): boolean;
  /** Admits an institution hosted by this gateway (keys, identity, connector made here). */
  hostInstitution(caller: Caller, input: HostInstitutionInput): Promise<Institution>;
  suspendInstitution(caller: Caller, institutionId: string, reason: string): Promise<Institution>;
  reinstateInstitution(caller: Caller, institutionId: string, reason: string): Promise<Institution>;

  /** Blinds the USCC into a subject token and registers its signers. */
  registerSubject(caller: Caller, input: { readonly uscc: string; readonly signers: readonly string[] }): Promise<{ readonly subjectToken: string; readonly txId?: string }>;

  draftConsent(caller: Caller, input: ConsentDraftInput): Promise<TypedData>;
  grantConsent(caller: Caller, input: { readonly message: ConsentMessage; readonly signature: string }): Promise<{ readonly consentId: string; readonly txId: string }>;
  draftConsentRevocation(caller: Caller, consentId: string): Promise<TypedData>;
  revokeConsent(caller: Caller, consentId: string, signature: string): Promise<{ readonly status: 'revoked'; readonly txId?: string }>;
  getConsent(caller: Caller, consentId: string): Promise<ConsentView>;

  listProducts(caller: Caller): Promise<readonly Product[]>;
  getProduct(caller: Caller, productId: string): Promise<ProductWithPolicy>;
  publishProduct(caller: Caller, input: PublishProductInput): Promise<Product>;
  listProductOnExchange(caller: Caller, productId: string, certificateNo: string): Promise<Product>;
  /** Withdraws the listing (the listing exchange). */
  unlistProduct(caller: Caller, productId: string): Promise<Product>;
  /** Delists the product (its provider); its active contracts end. */
  delistProduct(caller: Caller, productId: string): Promise<Product>;
  /** A new model version, and maybe a new output schema (its provider). */
  updateProductVersion(caller: Caller, productId: string, input: ProductVersionInput): Promise<Product>;

  /** Negotiates a usage contract with the product's provider over the connector; with an Idempotency-Key, a retry (even after a crash) gets the first contract. */
  agreeContract(caller: Caller, input: ContractInput, options?: IdempotencyOptions): Promise<ContractView>;
  getContract(caller: Caller, contractId: string): Promise<ContractView>;
  /** Either party ends the contract. */
  terminateContract(caller: Caller, contractId: string, reason: string): Promise<ContractView>;

  /** With an Idempotency-Key, a retry (even after a crash) gets the first report and receipt: one receipt, one use counted. */
  requestRiskReport(caller: Caller, input: RiskReportInput, options?: IdempotencyOptions): Promise<RiskReportResult>;

  /** All or nothing. */
  recordLendingEvents(caller: Caller, events: readonly LendingEventInput[], options?: IdempotencyOptions): Promise<LendingEventsResult>;
  /** With an Idempotency-Key, the check id is derived from it: a retry answers the first check, recording nothing. */
  checkMultiLending(caller: Caller, input: { readonly uscc: string; readonly consentId: string }, options?: IdempotencyOptions): Promise<MultiLendingResult>;

  /** Recorded fraud-ring check, answered by the provider of the consent's `ring` product (absent: 503). */
  checkFraudRing?(caller: Caller, input: { readonly uscc: string; readonly consentId: string }, options?: IdempotencyOptions): Promise<FraudRingResult>;

  verifyProvenance(caller: Caller, input: ProvenanceInput): Promise<ProvenanceVerification>;
  getReceipt(caller: Caller, receiptId: string): Promise<RecordedReceipt>;

  auditEvents(caller: Caller, query: AuditQuery): Promise<AuditPage>;
  auditIntegrity(caller: Caller): Promise<IntegrityResult>;
  auditStats(caller: Caller, query: AuditStatsQuery): Promise<AuditStats>;
}
