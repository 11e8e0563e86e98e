/**
 * @xinlian/connector — one per institution: its store, keys, policy engine, risk model and
 * the libp2p exchanges through which only signed model outputs leave it.
 */
import './polyfills.js';

export { Connector, createConnector, type ConnectorOptions, type ConnectorReadiness } from './connector.js';
export { defaultLogger, type Logger } from './logger.js';
export {
  ConsortiumLedger,
  type AuditQuery,
  type AuditStats,
  type AuditStatsQuery,
  type Committed,
  type InstitutionInput,
  type LendingBatchResult,
  type LendingEventInput,
  type ProductInput,
  type ReceiptVerification,
  type RefusalInput,
} from './chain/consortium-ledger.js';
export { LedgerWriter, OUTBOX_RETRY_MS, OUTBOX_STALL_MS, type LedgerWrite, type OutboxHealth } from './chain/ledger-writer.js';
export { MultiLending, type LendingBatchOutcome, type LendingEventByUscc, type MultiLendingCheck } from './chain/multi-lending.js';
export { ConsumerService, MAX_NEGOTIATION_ATTEMPTS, type NegotiateInput, type ReportRequestInput } from './exchange/consumer.js';
export { ProviderService } from './exchange/provider.js';
export { ExchangeError, ExchangeErrorCode, isExchangeError } from './exchange/errors.js';
export type { FollowerStatus } from './exchange/revocation-follower.js';
export {
  isWellFormedReceipt,
  RECEIPT_FIELDS,
  verifyProvenance,
  type ProvenanceChecks,
  type ProvenanceVerdict,
} from './exchange/provenance.js';
export { contentHashOf, newRiskReport, outputHashOf, type ReportReceipt, type RiskReport } from './exchange/report.js';
export { SubjectIndex } from './exchange/subject-index.js';
export { clearanceOf } from './exchange/clearance.js';
export { contractTerms, type ContractTerms } from './exchange/terms.js';
export * from './domain/index.js';
export {
  openStore,
  JsonCollection,
  Outbox,
  NonceStore as LevelNonceStore,
  StateRecordStore,
  type ConnectorStore,
  type LocalProduct,
  type StoreOptions,
  type KeyRange,
  type OutboxEntry,
  type StateRecord,
  type RecordUpdate,
} from './store/index.js';
export * from './policy/index.js';
export * from './model/index.js';
export * from './p2p/index.js';
export * from './identity/index.js';
export * from './rings/index.js';
