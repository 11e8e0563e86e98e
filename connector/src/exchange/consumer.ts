import { randomUUID } from 'node:crypto';
import { isCodedError, usageContractTypedData, type UsageContract, type UsageContractMessage } from '@xinlian/chaincode';
import type { Wallet } from 'ethers';
import type { ConsortiumLedger } from '../chain/consortium-ledger.js';
import { errFields, type Logger } from '../logger.js';
import { isP2PError, Protocols, type JsonValue, type RequestResponseService } from '../p2p/index.js';
import type { ConnectorStore } from '../store/index.js';
import { ConnectorError, ConnectorErrorCode } from '../domain/errors.js';
import { ExchangeError, ExchangeErrorCode } from './errors.js';
import { verifyProvenance } from './provenance.js';
import type { ReportReceipt, RiskReport } from './report.js';
import { contractTerms } from './terms.js';

export interface ConsumerComponents {
  readonly institutionId: string;
  readonly wallet: Wallet;
  readonly ledger: ConsortiumLedger;
  readonly store: ConnectorStore;
  readonly p2p: RequestResponseService;
  readonly now?: () => Date;
  readonly logger?: Logger;
}

export interface NegotiateInput {
  readonly productId: string;
  readonly purpose: string;
  /** Default: one year from now. */
  readonly validUntil?: Date;
  /**
   * Idempotency key ([A-Za-z0-9._:@-], 1–100 chars): the contract id is derived from it, so a
   * retry with the same id (even after a crash) resumes or answers the first negotiation
   * instead of offering a second contract. The same id for another product or purpose is
   * refused with `CONN_REQUEST_CONFLICT`. Default: a fresh contract id.
   */
  readonly negotiationId?: string;
}

const NEGOTIATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$/;

export interface ReportRequestInput {
  readonly contractId: string;
  readonly consentId: string;
  readonly subjectToken: string;
  /** Idempotency key; a retry with the same id returns the first report. Default: new. */
  readonly requestId?: string;
}

/**
 * `requested` until the contract is on the ledger (`agreed`), the provider refuses it
 * (`denied`, with its refusal), or it cannot progress any more (`failed`, with the reason:
 * the offer expired, the product or provider went away, too many attempts). Only
 * `requested` negotiations are ever tried again.
 */
type NegotiationState = 'requested' | 'agreed' | 'denied' | 'failed';
interface NegotiationData {
  readonly agreement: UsageContractMessage;
  readonly consumerSignature: string;
  readonly txId?: string;
  readonly refusal?: { code: string; message: string; rule?: string };
  /** Why a `failed` negotiation ended. */
  readonly reason?: string;
  /** Attempts made to reach the provider. */
  readonly attempts?: number;
}

/** A negotiation still `requested` after this many attempts ends `failed`. */
export const MAX_NEGOTIATION_ATTEMPTS = 10;

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * The consumer side: negotiates usage contracts with providers and asks them for model
 * outputs, verifying every output against its receipt and the ledger before returning it.
 * Negotiations are persisted, so a restart resumes them (see {@link resume}).
 */
export class ConsumerService {
  readonly #c: ConsumerComponents;
  readonly #now: () => Date;

  constructor(components: ConsumerComponents) {
    this.#c = components;
    this.#now = components.now ?? (() => new Date());
  }

  /**
   * Offers the provider a contract on the product's current terms and waits until it is
   * active on the ledger.
   * @throws ExchangeError (`CONN_PRODUCT_UNAVAILABLE`, `CONN_INSTITUTION_UNREACHABLE`, `CONN_REQUEST_CONFLICT`,
   *   `CONN_VERIFICATION_FAILED`, or the provider's refusal code with its `rule`), P2PError, LedgerError.
   */
  async negotiate(input: NegotiateInput): Promise<UsageContract> {
    if (input.negotiationId !== undefined && !NEGOTIATION_ID.test(input.negotiationId)) {
      throw new ConnectorError(ConnectorErrorCode.BAD_INPUT, 'negotiationId must be 1-100 chars of [A-Za-z0-9._:@-]');
    }
    const contractId = input.negotiationId === undefined ? `ctr-${randomUUID()}` : `ctr-${input.negotiationId}`;
    if (input.negotiationId !== undefined) {
      const earlier = await this.#negotiations().get(contractId);
      if (earlier) {
        const { productId, purpose } = earlier.data.agreement;
        if (productId !== input.productId || purpose !== input.purpose) {
          throw new ExchangeError(ExchangeErrorCode.REQUEST_CONFLICT, `negotiation ${input.negotiationId} was for ${productId} (${purpose})`);
        }
        return this.#complete(contractId);
      }
    }
    const product = await this.#c.ledger.getProduct(input.productId).catch((e: unknown) => {
      if (isCodedError(e, 'CC_NOT_FOUND')) throw new ExchangeError(ExchangeErrorCode.PRODUCT_UNAVAILABLE, e.message);
      throw e;
    });
    if (product.provider === this.#c.institutionId) {
      throw new ExchangeError(ExchangeErrorCode.OWN_PRODUCT, `product ${product.id} is this institution's own: no contract with oneself`);
    }
    if (product.status !== 'active') {
      throw new ExchangeError(ExchangeErrorCode.PRODUCT_UNAVAILABLE, `product ${product.id} is ${product.status}`);
    }
    const terms = contractTerms(product.policy);
    const agreement: UsageContractMessage = {
      contractId,
      productId: product.id,
      provider: product.provider,
      consumer: this.#c.institutionId,
      purpose: input.purpose,
      validUntil: Math.floor((input.validUntil?.getTime() ?? this.#now().getTime() + ONE_YEAR_MS) / 1000),
      maxUses: terms.maxUses,
      ratePerMinute: terms.ratePerMinute,
      policyHash: terms.policyHash,
    };
    const typed = usageContractTypedData(agreement);
    const consumerSignature = await this.#c.wallet.signTypedData(typed.domain, typed.types, typed.message);
    await this.#negotiations().create(agreement.contractId, 'requested', { agreement, consumerSignature });
    return this.#complete(agreement.contractId);
  }

  /** Completes negotiations left `requested` by a restart; returns how many became active. */
  async resume(): Promise<number> {
    let agreed = 0;
    for (const record of await this.#negotiations().listByState('requested')) {
      try {
        await this.#complete(record.id);
        agreed++;
      } catch (e) {
        // stays requested, or ended denied or failed: the record says which
        this.#c.logger?.warn({ contractId: record.id, ...errFields(e) }, 'negotiation not completed at resume');
      }
    }
    return agreed;
  }

  /**
   * Completes one negotiation left `requested` (e.g. the provider was unreachable): asks again
   * with the same signed offer, so at most one contract results.
   * @throws as {@link negotiate}.
   */
  async resumeNegotiation(contractId: string): Promise<UsageContract> {
    return this.#complete(contractId);
  }

  /** The persisted state of a negotiation this connector started. */
  async negotiation(contractId: string) {
    return this.#negotiations().get(contractId);
  }

  /**
   * Asks the contract's provider for one output on a subject, then verifies it (hash,
   * provider signature, receipt on the ledger) before returning it.
   * @throws ExchangeError with the provider's refusal code (and `rule`), or
   *   `CONN_VERIFICATION_FAILED`; P2PError; LedgerError.
   */
  async requestReport(input: ReportRequestInput): Promise<{ report: RiskReport; receipt: ReportReceipt }> {
    const contract = await this.#c.ledger.getContract(input.contractId).catch((e: unknown) => {
      if (isCodedError(e, 'CC_NOT_FOUND')) throw new ExchangeError(ExchangeErrorCode.CONTRACT_INVALID, e.message);
      throw e;
    });
    if (contract.consumer !== this.#c.institutionId) {
      throw new ExchangeError(ExchangeErrorCode.CONTRACT_INVALID, `contract ${contract.contractId} is not yours`);
    }
    const body = await this.#ask(contract.provider, Protocols.TRANSFER, {
      requestId: input.requestId ?? `req-${randomUUID()}`,
      contractId: input.contractId,
      consentId: input.consentId,
      subjectToken: input.subjectToken,
    });
    const { report, receipt } = body as unknown as { report: RiskReport; receipt: ReportReceipt };
    const verdict = await verifyProvenance(this.#c.ledger, report as unknown as Record<string, unknown>, receipt);
    const matches =
      receipt.provider === contract.provider &&
      receipt.consumer === this.#c.institutionId &&
      receipt.contractId === contract.contractId &&
      receipt.consentId === input.consentId &&
      receipt.subjectToken === input.subjectToken;
    if (!verdict.valid || !matches) {
      throw new ExchangeError(
        ExchangeErrorCode.VERIFICATION_FAILED,
        `the provider's output failed verification: ${JSON.stringify(verdict.checks)}`,
      );
    }
    return { report, receipt };
  }

  async #complete(contractId: string): Promise<UsageContract> {
    const negotiations = this.#negotiations();
    const record = await negotiations.get(contractId);
    if (!record) throw new ExchangeError(ExchangeErrorCode.CONTRACT_INVALID, `no negotiation ${contractId}`);
    if (record.state !== 'requested' && record.state !== 'agreed') {
      const why = record.data.reason ?? record.data.refusal?.message ?? record.state;
      throw new ExchangeError(record.data.refusal?.code ?? ExchangeErrorCode.CONTRACT_INVALID, `negotiation ${contractId} ended ${record.state}: ${why}`);
    }
    const { agreement, consumerSignature } = record.data;
    let onLedger = await this.#contractOnLedger(contractId);
    if (!onLedger) {
      const hopeless = await this.#hopeless(agreement, record.data.attempts ?? 0);
      if (hopeless) {
        await negotiations.update(contractId, { state: 'failed', data: { ...record.data, reason: hopeless } });
        this.#c.logger?.warn({ contractId, reason: hopeless }, 'negotiation failed');
        throw new ExchangeError(ExchangeErrorCode.CONTRACT_INVALID, `negotiation ${contractId} failed: ${hopeless}`);
      }
      const attempts = (record.data.attempts ?? 0) + 1;
      try {
        await this.#ask(agreement.provider, Protocols.NEGOTIATION, {
          agreement: agreement as unknown as JsonValue,
          consumerSignature,
        });
      } catch (e) {
        if (e instanceof ExchangeError && e.code !== ExchangeErrorCode.INSTITUTION_UNREACHABLE) {
          const refusal = { code: e.code, message: e.message, ...(e.rule ? { rule: e.rule } : {}) };
          await negotiations.update(contractId, { state: 'denied', data: { ...record.data, attempts, refusal } });
        } else {
          await negotiations.update(contractId, { data: { ...record.data, attempts } });
        }
        throw e;
      }
      onLedger = await this.#contractOnLedger(contractId);
    }
    if (!onLedger || onLedger.status !== 'active' || onLedger.policyHash !== agreement.policyHash) {
      const reason = onLedger ? `the contract on the ledger is ${onLedger.status}` : 'the provider answered but the contract is not on the ledger';
      if (onLedger) await negotiations.update(contractId, { state: 'failed', data: { ...record.data, reason } });
      throw new ExchangeError(ExchangeErrorCode.VERIFICATION_FAILED, `contract ${contractId} is not active on the ledger: ${reason}`);
    }
    await negotiations.update(contractId, { state: 'agreed', data: { ...record.data, txId: onLedger.txId } });
    return onLedger;
  }

  async #contractOnLedger(contractId: string): Promise<UsageContract | undefined> {
    try {
      return await this.#c.ledger.getContract(contractId);
    } catch (e) {
      if (isCodedError(e, 'CC_NOT_FOUND')) return undefined;
      throw e;
    }
  }

  /** Why a `requested` negotiation can never complete, or undefined while it still can. */
  async #hopeless(agreement: UsageContractMessage, attempts: number): Promise<string | undefined> {
    if (agreement.provider === this.#c.institutionId) return 'the provider is this institution itself';
    if (agreement.validUntil * 1000 <= this.#now().getTime()) return 'the offer expired before the provider agreed';
    if (attempts >= MAX_NEGOTIATION_ATTEMPTS) return `the provider did not agree in ${attempts} attempts`;
    let product;
    try {
      product = await this.#c.ledger.getProduct(agreement.productId);
    } catch (e) {
      if (isCodedError(e, 'CC_NOT_FOUND')) return `product ${agreement.productId} does not exist`;
      throw e;
    }
    if (product.provider !== agreement.provider) return `product ${agreement.productId} is provided by another institution`;
    if (product.status !== 'active') return `product ${agreement.productId} is ${product.status}`;
    return undefined;
  }

  /** One request to another institution's connector, its refusals turned into ExchangeErrors. */
  async #ask(institutionId: string, protocol: string, body: JsonValue): Promise<JsonValue | undefined> {
    const inst = await this.#c.ledger.getInstitution(institutionId);
    if (!inst.peerId || inst.addresses.length === 0) {
      throw new ExchangeError(ExchangeErrorCode.INSTITUTION_UNREACHABLE, `${institutionId} has no connector endpoint`);
    }
    const targets = inst.addresses.map((a) => (a.includes('/p2p/') ? a : `${a}/p2p/${inst.peerId}`));
    try {
      return await this.#c.p2p.request(targets, protocol, body, { expectInstitution: institutionId });
    } catch (e) {
      if (isP2PError(e) && e.remote && e.remote.status !== 'ERROR') {
        throw new ExchangeError(e.remote.code, e.remote.message, {
          ...(e.remote.rule ? { rule: e.remote.rule } : {}),
          cause: e,
        });
      }
      if (isP2PError(e, 'CONN_PEER_UNREACHABLE')) {
        throw new ExchangeError(ExchangeErrorCode.INSTITUTION_UNREACHABLE, e.message, { cause: e });
      }
      throw e;
    }
  }

  #negotiations() {
    return this.#c.store.negotiations.typed<NegotiationState, NegotiationData>();
  }
}
