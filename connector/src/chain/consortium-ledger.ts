import type {
  AuditRecord,
  CheckResult,
  Consent,
  ConsentMessage,
  Institution,
  LendingEventType,
  Product,
  Receipt,
  ReceiptMessage,
  Subject,
  UsageContract,
  UsageContractMessage,
} from '@xinlian/chaincode';
import { isLedgerError, LedgerErrorCode, type LedgerClient } from '@xinlian/network';

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
}

export interface AuditQuery {
  institution?: string;
  type?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
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

  get client(): LedgerClient {
    return this.#ledger;
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
  recordReceipt(receipt: ReceiptMessage & { signature: string }): Promise<Committed<Receipt>> {
    return this.#submit('receipts:Record', [json(receipt)]);
  }
  getReceipt(receiptId: string): Promise<Receipt> {
    return this.#evaluate('receipts:Get', [receiptId]);
  }

  // lending
  recordLendingEvents(
    events: readonly LendingEventInput[],
  ): Promise<Committed<{ accepted: number; batchId: string }>> {
    return this.#submit('lending:Record', [json(events)]);
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

  // audit
  recordRefusal(refusal: {
    action: string;
    code: string;
    message: string;
    requester: string;
  }): Promise<Committed<{ recorded: boolean; txId: string }>> {
    return this.#submit('audit:RecordRefusal', [json(refusal)]);
  }
  auditEvents(query: AuditQuery): Promise<{ events: AuditRecord[]; cursor?: string }> {
    return this.#evaluate('audit:Events', [json(query)]);
  }

  async #submit<T>(name: string, args: string[]): Promise<Committed<T>> {
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await this.#ledger.submit(name, args);
        return { value: JSON.parse(r.result) as T, txId: r.txId, blockNumber: r.blockNumber };
      } catch (e) {
        if (attempt >= MVCC_ATTEMPTS || !isLedgerError(e, LedgerErrorCode.MVCC_READ_CONFLICT)) throw e;
      }
    }
  }

  async #evaluate<T>(name: string, args: string[]): Promise<T> {
    return JSON.parse(await this.#ledger.evaluate(name, args)) as T;
  }
}

function json(value: unknown): string {
  return JSON.stringify(value);
}
