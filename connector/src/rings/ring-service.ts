/**
 * Fraud-ring checks between connectors. The lender's side records the check on the ledger
 * (`fraud-rings:RequestCheck`: consent verified, audit type `fraudring_checked`) and asks the
 * product's provider over `/xinlian/ring-check/1.0.0`; the provider answers only a recorded,
 * fresh check of that requester whose consent still holds by its own clock, from its
 * detector over its own registry data. Answers carry ring ids, sizes, shared-attribute kinds
 * and counts, never another enterprise or institution.
 */
import { randomUUID } from 'node:crypto';
import { CHECK_RESULT_TTL_MS, isCodedError, type RingCheckRequest } from '@xinlian/chaincode';
import type { ConsortiumLedger } from '../chain/consortium-ledger.js';
import type { LedgerWriter } from '../chain/ledger-writer.js';
import { ExchangeError, ExchangeErrorCode } from '../exchange/errors.js';
import type { SubjectIndex } from '../exchange/subject-index.js';
import { errFields, type Logger } from '../logger.js';
import { isP2PError } from '../p2p/errors.js';
import { protocolId } from '../p2p/constants.js';
import { denied, notFound, ok, type HandlerResult, type RequestContext, type RequestResponseService } from '../p2p/index.js';
import type { JsonValue } from '../p2p/canonical-json.js';
import type { ConnectorStore } from '../store/index.js';
import { createRingDetector, type DetectedRing, type RingApplication, type RingDetector, type RingUpdate } from './ring-detector.js';
import type { RingAttribute } from './normalise.js';
import { ringSubjectOf } from './ring-subject.js';

/** The protocol a lender's connector asks a provider's with. */
export const RING_CHECK_PROTOCOL = protocolId('ring-check');

/** What a check answers about the enterprise's ring (no member, no lender named). */
export interface RingSummary {
  readonly ringId: string;
  readonly size: number;
  readonly sharedAttributes: RingAttribute[];
  readonly lenders30d: number;
  readonly applications30d: number;
  readonly riskScore: number;
}

/** The result of a fraud-ring check. */
export interface FraudRingCheck {
  readonly checkId: string;
  readonly txId: string;
  readonly inRing: boolean;
  readonly ring?: RingSummary;
  readonly alert: boolean;
}

export interface RingServiceComponents {
  readonly institutionId: string;
  readonly ledger: ConsortiumLedger;
  readonly writer: LedgerWriter;
  readonly p2p: RequestResponseService;
  readonly store: Pick<ConnectorStore, 'enterprises'>;
  readonly subjects: SubjectIndex;
  readonly now: () => Date;
  readonly logger?: Logger;
}

function summary(ring: DetectedRing): RingSummary {
  const { ringId, size, sharedAttributes, lenders30d, applications30d, riskScore } = ring;
  return { ringId, size, sharedAttributes: [...sharedAttributes], lenders30d, applications30d, riskScore };
}

/** Both sides of fraud-ring checks for one connector. */
export class RingService {
  readonly #c: RingServiceComponents;
  #detector: Promise<RingDetector> | undefined;

  constructor(components: RingServiceComponents) {
    this.#c = components;
  }

  /**
   * The provider's detector over every enterprise in its store, built on first use (and again
   * after {@link refresh}); new applications update it with `detector.addApplication`.
   */
  detector(): Promise<RingDetector> {
    this.#detector ??= this.#build().catch((e: unknown) => {
      this.#detector = undefined;
      throw e;
    });
    return this.#detector;
  }

  /**
   * A new application of an enterprise this provider holds (its data feed): updates the
   * detector incrementally (built first if need be). `joined` says the application put the
   * enterprise into a ring — the moment for a `ring_detected` alert. Undefined for an unknown
   * enterprise.
   */
  async onApplication(uscc: string, application: RingApplication): Promise<RingUpdate | undefined> {
    const detector = await this.detector();
    const record = await this.#c.store.enterprises.get(uscc);
    if (!record) return undefined;
    const update = detector.addApplication(ringSubjectOf(record), application);
    if (update.joined) this.#c.logger?.info({ ringId: update.ring?.ringId, size: update.ring?.size }, 'an application closed a fraud ring');
    return update;
  }

  /**
   * Starts building the detector in the background (at connector start), so the first check
   * does not wait for a scan of the whole store; a failure is logged and the next check retries.
   */
  warm(): void {
    this.detector().catch((e: unknown) => this.#c.logger?.warn(errFields(e), 'fraud-ring detection failed; the next check retries'));
  }

  /** Drops the detector; the next check rebuilds it over the store as it is then. */
  refresh(): void {
    this.#detector = undefined;
  }

  async #build(): Promise<RingDetector> {
    const started = Date.now();
    const detector = createRingDetector({ salt: this.#c.institutionId }, this.#c.now().getTime());
    for await (const record of this.#c.store.enterprises.values()) detector.addEnterprise(ringSubjectOf(record));
    const rings = detector.detect();
    this.#c.logger?.info({ ...detector.stats, found: rings.length, ms: Date.now() - started }, 'fraud rings detected');
    return detector;
  }

  /**
   * Lender side: records the check, then asks the provider of the consent's ring product. A
   * `checkId` already used for the same enterprise and consent answers the first check (its
   * txId; nothing recorded again) while the provider still answers it (15 minutes).
   * @throws ChaincodeError (`CC_CONSENT_*`, `CC_PRODUCT_INACTIVE`, `CC_FORBIDDEN`, …, recorded as
   *   denials), ExchangeError (the provider's refusal, or `CONN_INSTITUTION_UNREACHABLE`).
   */
  async check(uscc: string, consentId: string, checkId = `ring-${randomUUID()}`): Promise<FraudRingCheck> {
    const recorded = await this.#c.ledger.requestRingCheck(checkId, this.#c.subjects.tokenOf(uscc), consentId);
    const provider = recorded.value.provider;
    const inst = await this.#c.ledger.getInstitution(provider);
    if (!inst.peerId || inst.addresses.length === 0) throw new ExchangeError(ExchangeErrorCode.INSTITUTION_UNREACHABLE, `${provider} has no connector endpoint`);
    const targets = inst.addresses.map((a) => (a.includes('/p2p/') ? a : `${a}/p2p/${inst.peerId}`));
    let body: JsonValue | undefined;
    try {
      body = await this.#c.p2p.request(targets, RING_CHECK_PROTOCOL, { checkId }, { expectInstitution: provider });
    } catch (e) {
      if (isP2PError(e) && e.remote && e.remote.status !== 'ERROR') throw new ExchangeError(e.remote.code, e.remote.message, { cause: e });
      if (isP2PError(e, 'CONN_PEER_UNREACHABLE')) throw new ExchangeError(ExchangeErrorCode.INSTITUTION_UNREACHABLE, e.message, { cause: e });
      throw e;
    }
    const answer = body as { inRing?: unknown; ring?: RingSummary; alert?: unknown } | undefined;
    if (typeof answer?.inRing !== 'boolean' || typeof answer.alert !== 'boolean') {
      throw new ExchangeError(ExchangeErrorCode.VERIFICATION_FAILED, 'the provider answered a malformed ring check');
    }
    return { checkId, txId: recorded.value.txId || recorded.txId, inRing: answer.inRing, ...(answer.ring ? { ring: answer.ring } : {}), alert: answer.alert };
  }

  /** Provider side: the handler of {@link RING_CHECK_PROTOCOL}; refusals are recorded on the ledger. */
  async answer(body: JsonValue | undefined, ctx: RequestContext): Promise<HandlerResult> {
    const result = await this.#answer(body, ctx);
    if (result.status === 'DENIED' || result.status === 'NOT_FOUND') {
      const refusal = { action: 'fraud-rings:answer', code: result.code, message: result.message.slice(0, 1000), requester: ctx.institutionId };
      await this.#c.writer.record(`refusal:${ctx.institutionId}:${ctx.envelope.nonce}`, { name: 'audit:RecordRefusals', args: [JSON.stringify([refusal])] });
    }
    return result;
  }

  async #answer(body: JsonValue | undefined, ctx: RequestContext): Promise<HandlerResult> {
    const checkId = (body as { checkId?: unknown } | undefined)?.checkId;
    if (typeof checkId !== 'string' || checkId.length === 0 || checkId.length > 128) return denied(ExchangeErrorCode.BAD_MESSAGE, 'checkId must be a string of 1-128 characters');
    let request: RingCheckRequest;
    try {
      request = await this.#c.ledger.getRingCheck(checkId);
    } catch (e) {
      if (isCodedError(e, 'CC_NOT_FOUND')) return notFound(ExchangeErrorCode.CONSENT_INVALID, `no recorded ring check ${checkId}`);
      throw e;
    }
    // Only the requester of a check recorded for this provider's product is answered.
    if (request.provider !== this.#c.institutionId || request.requester !== ctx.institutionId) {
      return notFound(ExchangeErrorCode.CONSENT_INVALID, `no recorded ring check ${checkId}`);
    }
    const now = this.#c.now();
    if (now.getTime() - Date.parse(request.requestedAt) >= CHECK_RESULT_TTL_MS) {
      return denied(ExchangeErrorCode.CONSENT_INVALID, `ring check ${checkId} was requested at ${request.requestedAt}`, 'check-fresh');
    }
    // The consent is checked again with this provider's own clock (it may have been revoked since).
    const consent = await this.#c.ledger.checkConsent(request.consentId, request.requester, request.productId, request.purpose, now);
    if (!consent.valid) return denied(ExchangeErrorCode.CONSENT_INVALID, `consent ${request.consentId} no longer allows this check (${consent.code ?? 'invalid'})`, 'consent');
    const record = await this.#c.subjects.enterpriseOf(request.subjectToken);
    const ring = record ? (await this.detector()).ringOf(record.uscc) : undefined;
    return ok(ring ? { inRing: true, ring: { ...summary(ring) }, alert: true } : { inRing: false, alert: false });
  }
}
