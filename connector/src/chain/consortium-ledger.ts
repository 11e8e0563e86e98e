import type {
  AuditRecord,
  CheckResult,
  Consent,
  ConsentMessage,
  Institution,
  LendingAttributeKind,
  LendingEventType,
  Product,
  Receipt,
  RingCheckRequest,
  Subject,
  UsageContract,
  UsageContractMessage,
} from '@xinlian/chaincode';
import {
  isLedgerError,
  LedgerErrorCode,
  type BlockInfo,
  type ChaincodeEvent,
  type CloseableAsyncIterable,
  type EventsOptions,
  type IntegrityOptions,
  type IntegrityReport,
  type LedgerClient,
  type LedgerIdentity,
} from '@xinlian/network';

/** A committed result: the chaincode's value with where it was committed. */
export interface Committed<T> {
  readonly value: T;
  readonly txId: string;
  readonly blockNumber: bigint;
}

export interface InstitutionInput {
  id: string;
  name: string;
  roles: string[];
  signerAddress: string;
  mspId?: string;
  clientId?: string;
  peerId?: string;
  addresses?: string[];
}

export interface ProductInput {
  id: string;
  name: string;
  kind: string;
  classification: number;
  policy: Record<string, unknown>;
  outputSchemaHash: string;
  modelVersion: string;
}

export interface LendingEventInput {
  subjectToken: string;
  type: LendingEventType;
  amount?: number;
  occurredAt: string;
  /** Blinded tokens only (`0x` + 64 hex), on an application. */
  attributes?: Partial<Record<LendingAttributeKind, string>>;
}

export interface AuditQuery {
  /** Records naming this institution as a party (not only the submitter). */
  institution?: string;
  /** Records about this subject token. */
  subject?: string;
  type?: string;
  /** Default `asc` (oldest first). */
  order?: 'asc' | 'desc';
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface AuditStatsQuery {
  from: string;
  to: string;
  bucket: 'hour' | 'day';
}

export interface AuditStats {
  readonly buckets: readonly { readonly start: string; readonly type: string; readonly institution: string; readonly count: number }[];
}

/** A refusal issued off the ledger (by a gateway or a provider's connector), recorded for the regulator. */
export interface RefusalInput {
  action: string;
  code: string;
  message: string;
  /** The refused institution. */
  requester: string;
}

/** What `lending:Record` answers: the first result again (`replayed`) for a batch id already used with the same events. */
export interface LendingBatchResult {
  readonly accepted: number;
  readonly batchId: string;
  /** The transaction that recorded the batch (the first one, for a replay). */
  readonly txId: string;
  readonly replayed: boolean;
}

/** `receipts:Verify`: how a receipt as its holder got it compares with the ledger. */
export interface ReceiptVerification {
  readonly ledger: boolean;
  readonly contract: boolean;
  readonly consent: boolean;
}

/** Submits retried on MVCC read conflicts before giving up (the conflict is then thrown). */
const MVCC_ATTEMPTS = 4;

/**
 * Typed access to the consortium chaincode over any {@link LedgerClient}: one method per
 * chaincode function (see chaincode/README.md), JSON in and out, submits retried only on
 * MVCC read conflicts (like fabric-samples' trader application).
 *
 * Throws what the ledger client throws: `ChaincodeError` (CC_* codes, `recorded` for
 * committed denials) and `LedgerError` (LEDGER_* codes).
 */
export class ConsortiumLedger {
  readonly #ledger: LedgerClient;

  constructor(ledger: LedgerClient) {
    this.#ledger = ledger;
  }

  /** The ledger identity this institution transacts as (MSP id and client id, for `institutions:BindIdentity`). */
  get identity(): LedgerIdentity {
    return this.#ledger.identity;
  }

  // the chain itself
  /** The block a transaction was committed in, undefined when the ledger does not know it. */
  async transactionBlock(txId: string): Promise<number | undefined> {
    const tx = await this.#ledger.getTransaction(txId);
    return tx ? Number(tx.blockNumber) : undefined;
  }
  /** Number of blocks. */
  async height(): Promise<number> {
    return Number(await this.#ledger.getHeight());
  }
  /** One block (number, hashes, transactions), undefined beyond the head. */
  block(blockNumber: number): Promise<BlockInfo | undefined> {
    return this.#ledger.getBlock(BigInt(blockNumber));
  }
  /** The chaincode's events from a block or after a checkpoint, as they are committed (close it when done). */
  chaincodeEvents(options?: EventsOptions): Promise<CloseableAsyncIterable<ChaincodeEvent>> {
    return this.#ledger.chaincodeEvents(options);
  }
  /** Re-verifies the chain (and, `deep`, the world state against the blocks). */
  checkIntegrity(options?: IntegrityOptions): Promise<IntegrityReport> {
    return this.#ledger.checkIntegrity(options);
  }

  // institutions
  initialize(input: InstitutionInput): Promise<Committed<Institution>> {
    return this.#submit('institutions:Initialize', [json(input)]);
  }
  admit(input: InstitutionInput): Promise<Committed<Institution>> {
    return this.#submit('institutions:Admit', [json(input)]);
  }
  suspend(id: string, reason: string): Promise<Committed<Institution>> {
    return this.#submit('institutions:Suspend', [id, reason]);
  }
  reinstate(id: string, reason: string): Promise<Committed<Institution>> {
    return this.#submit('institutions:Reinstate', [id, reason]);
  }
  bindIdentity(id: string, mspId: string, clientId: string): Promise<Committed<Institution>> {
    return this.#submit('institutions:BindIdentity', [id, mspId, clientId]);
  }
  updateEndpoint(peerId: string, addresses: readonly string[]): Promise<Committed<Institution>> {
    return this.#submit('institutions:UpdateEndpoint', [peerId, json(addresses)]);
  }
  getInstitution(id: string): Promise<Institution> {
    return this.#evaluate('institutions:Get', [id]);
  }
  listInstitutions(): Promise<Institution[]> {
    return this.#evaluate('institutions:List', []);
  }
  whoami(): Promise<Institution> {
    return this.#evaluate('institutions:Whoami', []);
  }
  resolvePeer(peerId: string): Promise<Institution> {
    return this.#evaluate('institutions:ResolvePeer', [peerId]);
  }

  // subjects
  registerSubject(subjectToken: string, signers: readonly string[]): Promise<Committed<Subject>> {
    return this.#submit('subjects:Register', [subjectToken, json(signers)]);
  }
  rotateSubjectSigners(subjectToken: string, signers: readonly string[]): Promise<Committed<Subject>> {
    return this.#submit('subjects:RotateSigners', [subjectToken, json(signers)]);
  }
  getSubject(subjectToken: string): Promise<Subject> {
    return this.#evaluate('subjects:Get', [subjectToken]);
  }

  // products
  publishProduct(input: ProductInput): Promise<Committed<Product>> {
    return this.#submit('products:Publish', [json(input)]);
  }
  listOnExchange(id: string, certificateNo: string): Promise<Committed<Product>> {
    return this.#submit('products:ListOnExchange', [id, certificateNo]);
  }
  /** Withdraws the exchange listing (by the listing exchange). */
  unlistProduct(id: string): Promise<Committed<Product>> {
    return this.#submit('products:Unlist', [id]);
  }
  /** Ends the product (its provider): no new contracts, existing ones unusable. */
  delistProduct(id: string): Promise<Committed<Product>> {
    return this.#submit('products:Delist', [id]);
  }
  /** A new model version; `outputSchemaHash` '' keeps the current one. */
  updateProductVersion(id: string, modelVersion: string, outputSchemaHash: string): Promise<Committed<Product>> {
    return this.#submit('products:UpdateVersion', [id, modelVersion, outputSchemaHash]);
  }
  getProduct(id: string): Promise<Product> {
    return this.#evaluate('products:Get', [id]);
  }
  listProducts(): Promise<Product[]> {
    return this.#evaluate('products:List', []);
  }

  // consents
  grantConsent(message: ConsentMessage, signature: string): Promise<Committed<Consent>> {
    return this.#submit('consents:Grant', [json(message), signature]);
  }
  revokeConsent(consentId: string, signature: string): Promise<Committed<Consent>> {
    return this.#submit('consents:Revoke', [consentId, signature]);
  }
  getConsent(consentId: string): Promise<Consent> {
    return this.#evaluate('consents:Get', [consentId]);
  }
  checkConsent(
    consentId: string,
    grantee: string,
    productId: string,
    purpose: string,
    at: Date,
  ): Promise<{ valid: boolean; code?: string }> {
    return this.#evaluate('consents:Check', [consentId, grantee, productId, purpose, at.toISOString()]);
  }

  // usage contracts
  agreeContract(
    agreement: UsageContractMessage,
    providerSignature: string,
    consumerSignature: string,
  ): Promise<Committed<UsageContract>> {
    return this.#submit('contracts:Agree', [json(agreement), providerSignature, consumerSignature]);
  }
  terminateContract(contractId: string, reason: string): Promise<Committed<UsageContract>> {
    return this.#submit('contracts:Terminate', [contractId, reason]);
  }
  getContract(contractId: string): Promise<UsageContract> {
    return this.#evaluate('contracts:Get', [contractId]);
  }

  // receipts
  // receipts:Record is written only through the provider's outbox (LedgerWriter), never directly.
  getReceipt(receiptId: string): Promise<Receipt> {
    return this.#evaluate('receipts:Get', [receiptId]);
  }
  /** Compares a receipt as its holder got it with the ledger (never answers the contract or consent). */
  verifyReceipt(receipt: Readonly<Record<string, unknown>>): Promise<ReceiptVerification> {
    return this.#evaluate('receipts:Verify', [json(receipt)]);
  }

  // lending
  /**
   * Records a batch once per (caller, batchId): the same batch again answers the first
   * result with `replayed: true`; other events under a used id are refused (`CC_CONFLICT`).
   */
  recordLending(batchId: string, events: readonly LendingEventInput[]): Promise<Committed<LendingBatchResult>> {
    return this.#submit('lending:Record', [batchId, json(events)]);
  }
  requestCheck(
    checkId: string,
    subjectToken: string,
    consentId: string,
  ): Promise<Committed<{ checkId: string; requestedAt: string }>> {
    return this.#submit('lending:RequestCheck', [checkId, subjectToken, consentId]);
  }
  getCheckResult(checkId: string): Promise<CheckResult> {
    return this.#evaluate('lending:GetCheckResult', [checkId]);
  }

  // fraud rings
  requestRingCheck(
    checkId: string,
    subjectToken: string,
    consentId: string,
  ): Promise<Committed<{ checkId: string; requestedAt: string; productId: string; provider: string; txId?: string; replayed?: boolean }>> {
    return this.#submit('fraud-rings:RequestCheck', [checkId, subjectToken, consentId]);
  }
  /** A recorded ring check request (its requester, the product's provider and regulators). */
  getRingCheck(checkId: string): Promise<RingCheckRequest> {
    return this.#evaluate('fraud-rings:GetCheck', [checkId]);
  }

  // audit
  /** 1-100 refusals in one transaction, one `denied` record each. */
  recordRefusals(refusals: readonly RefusalInput[]): Promise<Committed<{ recorded: number; txId: string }>> {
    return this.#submit('audit:RecordRefusals', [json(refusals)]);
  }
  auditEvents(query: AuditQuery): Promise<{ events: AuditRecord[]; cursor?: string }> {
    return this.#evaluate('audit:Events', [json(query)]);
  }
  auditStats(query: AuditStatsQuery): Promise<AuditStats> {
    return this.#evaluate('audit:Stats', [json(query)]);
  }
  auditHistory(kind: string, id: string): Promise<{ txId: string; at: string; isDelete: boolean; value: unknown }[]> {
    return this.#evaluate('audit:History', [kind, id]);
  }

  /**
   * The one write path of the connector (the outbox's {@link LedgerWriter} included): submits
   * `name(args)`, retried only on MVCC read conflicts, at most 4 times.
   * @throws ChaincodeError, LedgerError (the last MVCC conflict included).
   */
  submit<T>(name: string, args: readonly string[]): Promise<Committed<T>> {
    return this.#submit(name, args);
  }

  async #submit<T>(name: string, args: readonly string[]): Promise<Committed<T>> {
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await this.#ledger.submit(name, args);
        return { value: JSON.parse(r.result) as T, txId: r.txId, blockNumber: r.blockNumber };
      } catch (e) {
        if (attempt >= MVCC_ATTEMPTS || !isLedgerError(e, LedgerErrorCode.MVCC_READ_CONFLICT)) throw e;
      }
    }
  }

  async #evaluate<T>(name: string, args: readonly string[]): Promise<T> {
    return JSON.parse(await this.#ledger.evaluate(name, args)) as T;
  }
}

function json(value: unknown): string {
  return JSON.stringify(value);
}
