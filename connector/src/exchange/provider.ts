import { randomUUID } from 'node:crypto';
import { receiptTypedData, usageContractTypedData, type Product, type UsageContract } from '@xinlian/chaincode';
import { isCodedError } from '@xinlian/chaincode';
import type { Logger } from '../logger.js';
import { verifyTypedData, type Wallet } from 'ethers';
import type { ConsortiumLedger } from '../chain/consortium-ledger.js';
import type { LedgerWriter } from '../chain/ledger-writer.js';
import { applyMask, evaluatePolicy, type ConsumerInfo, type PolicyDecision } from '../policy/index.js';
import { scoreEnterprise } from '../model/index.js';
import { denied, notFound, ok, type HandlerResult, type JsonValue, type RequestContext } from '../p2p/index.js';
import type { ConnectorStore } from '../store/index.js';
import { clearanceOf } from './clearance.js';
import { ExchangeErrorCode, isExchangeError } from './errors.js';
import { parseNegotiationRequest, parseTransferRequest, type TransferRequest } from './messages.js';
import { newRiskReport, outputHashOf, type ReportReceipt, type RiskReport } from './report.js';
import { contractTerms } from './terms.js';
import type { SubjectIndex } from './subject-index.js';
import type { UsageLedger } from './usage.js';

export interface ProviderComponents {
  readonly institutionId: string;
  readonly wallet: Wallet;
  readonly ledger: ConsortiumLedger;
  readonly writer: LedgerWriter;
  readonly store: ConnectorStore;
  readonly subjects: SubjectIndex;
  readonly usage: UsageLedger;
  /** Consents this connector has seen revoked on the ledger (refused at once). */
  readonly isRevoked: (consentId: string) => boolean;
  readonly now?: () => Date;
  readonly logger?: Logger;
}

/** Product kinds this provider has a model for: both release the scorecard's output. */
const SCORECARD_KINDS: ReadonlySet<string> = new Set(['score', 'report']);

type TransferState = 'receipt_pending' | 'delivered';
interface TransferData {
  readonly consumer: string;
  readonly request: TransferRequest;
  readonly report: RiskReport;
  readonly receipt: Omit<ReportReceipt, 'txId'>;
  readonly txId?: string;
}

/**
 * The provider side of the exchanges: catalogue, contract negotiation and transfer
 * handlers. Checks the ledger and the policy with its own clock before releasing
 * anything; runs the model on its own data; records the receipt (through the outbox)
 * before the output leaves.
 */
export class ProviderService {
  readonly #c: ProviderComponents;
  readonly #now: () => Date;

  constructor(components: ProviderComponents) {
    this.#c = components;
    this.#now = components.now ?? (() => new Date());
  }

  /** CATALOG: this provider's active products the requester may see. */
  async catalog(_body: JsonValue | undefined, ctx: RequestContext): Promise<HandlerResult> {
    const consumer = await this.#consumer(ctx.institutionId);
    const products = (await this.#c.ledger.listProducts()).filter(
      (p) => p.provider === this.#c.institutionId && p.status === 'active',
    );
    const visible = products.filter((p) => {
      const decision = evaluatePolicy(contractTerms(p.policy).policy, {
        scope: 'catalog',
        now: this.#now().getTime(),
        consumer,
        product: { id: p.id, classification: p.classification },
      });
      return decision.allowed;
    });
    return ok({ products: visible.map((p) => ({ id: p.id, name: p.name, kind: p.kind, modelVersion: p.modelVersion })) });
  }

  /** NEGOTIATION: countersign a consumer's offer that matches the policy, and record it. */
  async negotiate(body: JsonValue | undefined, ctx: RequestContext): Promise<HandlerResult> {
    return this.#recordingRefusals('negotiation', ctx, () => this.#negotiate(body, ctx));
  }

  /** TRANSFER: one model output with its receipt; a retried request gets the first answer. */
  async transfer(body: JsonValue | undefined, ctx: RequestContext): Promise<HandlerResult> {
    return this.#recordingRefusals('transfer', ctx, () => this.#transfer(body, ctx));
  }

  /**
   * Refusals this provider issues (including malformed requests of an authenticated member)
   * are recorded on the ledger (`audit:RecordRefusals`, through the outbox) before the answer
   * leaves, so the regulator sees them; a ledger outage delays the record, never the answer.
   */
  async #recordingRefusals(action: string, ctx: RequestContext, work: () => Promise<HandlerResult>): Promise<HandlerResult> {
    let result: HandlerResult;
    try {
      result = await work();
    } catch (e) {
      if (!isExchangeError(e, ExchangeErrorCode.BAD_MESSAGE)) throw e;
      result = denied(e.code, e.message);
    }
    if (result.status === 'DENIED' || result.status === 'NOT_FOUND') {
      const refusal = { action, code: result.code, message: result.message.slice(0, 1000), requester: ctx.institutionId };
      this.#c.logger?.info({ action, code: result.code, requester: ctx.institutionId }, 'refused');
      await this.#c.writer.record(`refusal:${ctx.institutionId}:${ctx.envelope.nonce}`, {
        name: 'audit:RecordRefusals',
        args: [JSON.stringify([refusal])],
      });
    }
    return result;
  }

  async #negotiate(body: JsonValue | undefined, ctx: RequestContext): Promise<HandlerResult> {
    const { agreement, consumerSignature } = parseNegotiationRequest(body);
    if (agreement.provider !== this.#c.institutionId || agreement.consumer !== ctx.institutionId) {
      return denied(ExchangeErrorCode.CONTRACT_INVALID, 'the offer names other parties');
    }
    if (agreement.consumer === this.#c.institutionId) {
      return denied(ExchangeErrorCode.OWN_PRODUCT, 'a provider cannot contract for its own product');
    }
    const existing = await this.#existingContract(agreement.contractId);
    if (existing) {
      return existing.consumer === ctx.institutionId
        ? ok(existing as unknown as JsonValue)
        : denied(ExchangeErrorCode.CONTRACT_INVALID, `contract ${agreement.contractId} exists`);
    }
    const product = await this.#ownProduct(agreement.productId);
    if (!product) return notFound(ExchangeErrorCode.PRODUCT_UNAVAILABLE, `no active product ${agreement.productId} here`);
    const consumer = await this.#consumer(ctx.institutionId);
    const typed = usageContractTypedData(agreement);
    let signer = '';
    try {
      signer = verifyTypedData(typed.domain, typed.types, typed.message, consumerSignature);
    } catch {
      // falls through to the refusal below
    }
    const consumerInst = await this.#c.ledger.getInstitution(ctx.institutionId);
    if (signer.toLowerCase() !== consumerInst.signerAddress.toLowerCase()) {
      return denied('CONN_BAD_SIGNATURE', "the offer is not signed by the consumer's signer");
    }
    const terms = contractTerms(product.policy);
    if (
      terms.policyHash !== agreement.policyHash ||
      terms.maxUses !== agreement.maxUses ||
      terms.ratePerMinute !== agreement.ratePerMinute
    ) {
      return denied(ExchangeErrorCode.CONTRACT_INVALID, "the offer's terms differ from the product's current policy");
    }
    const decision = evaluatePolicy(terms.policy, {
      scope: 'negotiation',
      now: this.#now().getTime(),
      consumer,
      product: { id: product.id, classification: product.classification },
      purpose: agreement.purpose,
    });
    if (!decision.allowed) return policyDenied(decision);
    const providerSignature = await this.#c.wallet.signTypedData(typed.domain, typed.types, typed.message);
    const committed = await this.#c.writer.write<UsageContract>(`agree:${agreement.contractId}`, {
      name: 'contracts:Agree',
      args: [JSON.stringify(agreement), providerSignature, consumerSignature],
    });
    return ok(committed.value as unknown as JsonValue);
  }

  async #transfer(body: JsonValue | undefined, ctx: RequestContext): Promise<HandlerResult> {
    const request = parseTransferRequest(body);
    const id = `${ctx.institutionId}:${request.requestId}`;
    const transfers = this.#c.store.transfers.typed<TransferState, TransferData>();
    const known = await transfers.get(id);
    if (known && !sameRequest(known.data.request, request)) {
      return denied(ExchangeErrorCode.REQUEST_CONFLICT, `request ${request.requestId} was already used for another request`);
    }

    // Every release — first, retried, or resumed after a restart — is checked now, against
    // the contract, the consent and the product as they are at this moment.
    const now = this.#now();
    const allowed = await this.#releasable(request, ctx.institutionId, now);
    if ('status' in allowed) return allowed;
    const { contract, product } = allowed;
    if (known) return this.#deliver(id, known.data);

    // Decide and count under the contract's lock; record and deliver outside it, so that
    // transfers under one contract wait for each other's decision, not for the ledger.
    const decided = await this.#c.usage.withContract(contract.contractId, async (usage): Promise<HandlerResult | TransferData> => {
      // A concurrent retry of the same request may have been decided while this one waited.
      const raced = await transfers.get(id);
      if (raced) return raced.data;
      const decision = evaluatePolicy(contractTerms(product.policy).policy, {
        scope: 'transfer',
        now: now.getTime(),
        consumer: await this.#consumer(ctx.institutionId),
        product: { id: product.id, classification: product.classification },
        purpose: contract.purpose,
        usage: { usesSoFar: usage.count, recentUses: usage.recent },
        consentValid: true,
      });
      if (!decision.allowed) return policyDenied(decision);
      const enterprise = await this.#c.subjects.enterpriseOf(request.subjectToken);
      if (!enterprise) return notFound(ExchangeErrorCode.SUBJECT_UNKNOWN, 'no data on this subject here');

      const score = scoreEnterprise(enterprise, now.toISOString().slice(0, 10));
      // The product's output: the scorecard (its kind was checked), under the product's declared model version.
      const output = { ...newRiskReport(product.id, request.subjectToken, score, now), modelVersion: product.modelVersion };
      const report = applyMask(output, decision.mask);
      const message = {
        receiptId: `rcpt-${randomUUID()}`,
        contractId: contract.contractId,
        consentId: request.consentId,
        productId: product.id,
        modelVersion: product.modelVersion,
        subjectToken: request.subjectToken,
        outputHash: outputHashOf(report),
        issuedAt: Math.floor(now.getTime() / 1000),
      };
      const typed = receiptTypedData(message);
      const signature = await this.#c.wallet.signTypedData(typed.domain, typed.types, typed.message);
      const data: TransferData = {
        consumer: ctx.institutionId,
        request,
        report,
        receipt: { ...message, provider: this.#c.institutionId, consumer: ctx.institutionId, signature },
      };
      // Count the use, then persist the transfer: a crash from here on resumes with the same
      // receipt, never a second one (a crash in between costs a use, never releases output).
      await usage.record(now.getTime());
      await transfers.create(id, 'receipt_pending', data);
      return data;
    });
    return 'status' in decided ? decided : this.#deliver(id, decided);
  }

  /**
   * Whether the contract, the consent and the product allow releasing this request's output
   * to `consumer` now: the contract and product when they do, else the refusal.
   */
  async #releasable(
    request: TransferRequest,
    consumer: string,
    now: Date,
  ): Promise<HandlerResult | { contract: UsageContract; product: Product }> {
    const contract = await this.#existingContract(request.contractId);
    const problem = this.#contractProblem(contract, consumer, now);
    if (!contract || problem !== undefined) {
      return denied(ExchangeErrorCode.CONTRACT_INVALID, `contract ${request.contractId} ${problem ?? 'is unknown'}`);
    }
    const consent = this.#c.isRevoked(request.consentId)
      ? { valid: false, code: 'CC_CONSENT_REVOKED' }
      : await this.#checkConsent(request, contract, now);
    if (!consent.valid) {
      return denied(
        ExchangeErrorCode.CONSENT_INVALID,
        `consent ${request.consentId} does not cover ${contract.productId} for ${contract.purpose} by ${consumer} (${consent.code ?? 'invalid'})`,
      );
    }
    const product = await this.#ownProduct(contract.productId);
    if (!product) return notFound(ExchangeErrorCode.PRODUCT_UNAVAILABLE, `product ${contract.productId} is not available`);
    if (!SCORECARD_KINDS.has(product.kind)) {
      return denied(ExchangeErrorCode.KIND_UNSUPPORTED, `product ${product.id} is of kind ${product.kind}: no model releases its output here`);
    }
    return { contract, product };
  }

  /** Why the contract does not allow this consumer a transfer now, or undefined when it does. */
  #contractProblem(contract: UsageContract | undefined, consumer: string, now: Date): string | undefined {
    if (!contract) return 'is unknown';
    if (contract.provider !== this.#c.institutionId) return 'is not with this provider';
    if (contract.consumer !== consumer) return 'belongs to another consumer';
    if (contract.status !== 'active') return `is ${contract.status}`;
    if (Date.parse(contract.validUntil) <= now.getTime()) return `expired at ${contract.validUntil}`;
    return undefined;
  }

  /** Records the receipt (idempotently, through the outbox) and returns output + receipt. */
  async #deliver(id: string, data: TransferData): Promise<HandlerResult> {
    let txId = data.txId;
    if (txId === undefined) {
      const { signature, ...message } = data.receipt;
      const committed = await this.#c.writer.write<{ txId: string }>(`receipt:${id}`, {
        name: 'receipts:Record',
        args: [JSON.stringify({ ...pickReceiptMessage(message), signature })],
      });
      txId = committed.value.txId ?? committed.txId;
      await this.#c.store.transfers
        .typed<TransferState, TransferData>()
        .update(id, { state: 'delivered', data: { ...data, txId } });
    }
    return ok({ report: data.report, receipt: { ...data.receipt, txId } } as unknown as JsonValue);
  }

  /** The ledger's verdict on the consent for this use, then the subject it names. */
  async #checkConsent(request: TransferRequest, contract: UsageContract, now: Date): Promise<{ valid: boolean; code?: string }> {
    try {
      const r = await this.#c.ledger.checkConsent(request.consentId, contract.consumer, contract.productId, contract.purpose, now);
      if (!r.valid) return r;
      const consent = await this.#c.ledger.getConsent(request.consentId);
      return consent.subjectToken === request.subjectToken ? { valid: true } : { valid: false, code: 'CC_CONSENT_SUBJECT_MISMATCH' };
    } catch (e) {
      // Scoped read: a consent that covers none of this provider's products reads as absent.
      if (isCodedError(e, 'CC_NOT_FOUND')) return { valid: false, code: 'CC_NOT_FOUND' };
      throw e;
    }
  }

  async #existingContract(contractId: string): Promise<UsageContract | undefined> {
    try {
      return await this.#c.ledger.getContract(contractId);
    } catch (e) {
      if (isCodedError(e, 'CC_NOT_FOUND')) return undefined;
      throw e;
    }
  }

  async #ownProduct(productId: string): Promise<Product | undefined> {
    try {
      const p = await this.#c.ledger.getProduct(productId);
      return p.provider === this.#c.institutionId && p.status === 'active' ? p : undefined;
    } catch (e) {
      if (isCodedError(e, 'CC_NOT_FOUND')) return undefined;
      throw e;
    }
  }

  async #consumer(institutionId: string): Promise<ConsumerInfo> {
    const inst = await this.#c.ledger.getInstitution(institutionId);
    return { institution: inst.id, roles: inst.roles, clearance: clearanceOf(inst.roles) };
  }
}

function sameRequest(first: TransferRequest, again: TransferRequest): boolean {
  return first.contractId === again.contractId && first.consentId === again.consentId && first.subjectToken === again.subjectToken;
}

function pickReceiptMessage(r: Omit<ReportReceipt, 'txId' | 'signature'>) {
  const { receiptId, contractId, consentId, productId, modelVersion, subjectToken, outputHash, issuedAt } = r;
  return { receiptId, contractId, consentId, productId, modelVersion, subjectToken, outputHash, issuedAt };
}

function policyDenied(decision: PolicyDecision & { allowed: false }): HandlerResult {
  return denied(decision.code, decision.reason, decision.ruleId);
}
