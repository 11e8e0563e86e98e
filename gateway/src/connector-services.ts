import { createHash, randomUUID } from 'node:crypto';
import { consentTypedData, isCodedError, revocationTypedData } from '@xinlian/chaincode';
import { contentHashOf, parsePolicy, verifyProvenance, type Connector, type ReportReceipt } from '@xinlian/connector';
import { GatewayError } from './errors.js';
import {
  assertDocument,
  consentReferenceInvalid,
  consentView,
  contractView,
  institutionView,
  looksLikeReceipt,
  productView,
} from './service-support.js';
import type { AuditEvent, Caller, InstitutionHost, InstitutionStatus, ProductWithPolicy, Services, TypedData } from './services.js';

export interface ConnectorServicesOptions {
  /**
   * The connectors this gateway hosts, by institution id (each with its own ledger client).
   * An {@link InstitutionHost} adds the connectors of institutions it hosts.
   */
  readonly connectors: Map<string, Connector>;
  /** Hosts institutions admitted without a signer address (POST /v1/institutions); none: such admissions are refused. */
  readonly host?: InstitutionHost;
  /**
   * The institution whose connector records the gateway's refusals on the ledger (the
   * operator); when it cannot (absent, suspended), the other hosted connectors are tried in turn.
   */
  readonly refusalRecorder?: string;
  readonly now?: () => Date;
}

/** Codes that mean "this connector may not record refusals now": try the next one. */
const CANNOT_RECORD: ReadonlySet<string> = new Set(['CC_INSTITUTION_SUSPENDED', 'CC_UNKNOWN_CALLER', 'CC_FORBIDDEN']);

/**
 * The ledger batch id of a lending batch posted with an Idempotency-Key: the same key from
 * the same institution is the same batch (the chaincode records it once), another
 * institution's key never collides. Without a key, a random one: never de-duplicated.
 */
export function lendingBatchId(institutionId: string, idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined) return randomUUID();
  return `idem:${keyDigest(institutionId, idempotencyKey)}`;
}

/**
 * The ledger check id of a multi-lending check posted with an Idempotency-Key: the same key
 * from the same institution is the same check (the chaincode answers the first one and records
 * nothing again); another institution's key never collides. Without a key, undefined (fresh id).
 */
export function multiLendingCheckId(institutionId: string, idempotencyKey: string | undefined): string | undefined {
  return idempotencyKey === undefined ? undefined : `idem:${keyDigest(institutionId, idempotencyKey)}`;
}

/**
 * The exchange request id of a risk report posted with an Idempotency-Key: the provider
 * answers a request id it has seen with the first report and receipt (after re-checking the
 * contract and the consent), so a retry after a crash records no second receipt and counts
 * no second use. Without a key, undefined (the consumer makes a fresh one).
 */
export function reportRequestId(institutionId: string, idempotencyKey: string | undefined): string | undefined {
  return idempotencyKey === undefined ? undefined : `req-idem-${keyDigest(institutionId, idempotencyKey)}`;
}

/**
 * The negotiation id of a contract posted with an Idempotency-Key: the consumer derives the
 * contract id from it, so a retry after a crash resumes or answers the first negotiation and
 * never offers a second contract. Without a key, undefined (a fresh contract id).
 */
export function negotiationId(institutionId: string, idempotencyKey: string | undefined): string | undefined {
  return idempotencyKey === undefined ? undefined : `idem-${keyDigest(institutionId, idempotencyKey)}`;
}

function keyDigest(institutionId: string, idempotencyKey: string): string {
  return createHash('sha256').update(`${institutionId}\n${idempotencyKey}`).digest('hex').slice(0, 40);
}

/** Only `CC_NOT_FOUND` means the record is absent; any other failure propagates. */
function absentIfNotFound<T>(e: unknown): T | undefined {
  if (isCodedError(e, 'CC_NOT_FOUND')) return undefined;
  throw e;
}

/**
 * {@link Services} over the connectors this gateway hosts: each caller acts through its own
 * institution's connector and ledger identity, so the ledger attributes every call to it.
 */
export function createConnectorServices(options: Readonly<ConnectorServicesOptions>): Services {
  const now = options.now ?? (() => new Date());
  const connectorOf = (caller: Caller | string): Connector => {
    const id = typeof caller === 'string' ? caller : caller.institutionId;
    const c = options.connectors.get(id);
    if (!c) throw new GatewayError('GW_FORBIDDEN', `this gateway does not serve institution ${id}`);
    return c;
  };
  const anyConnector = (): Connector => {
    const first = options.connectors.values().next();
    if (first.done) throw new GatewayError('GW_UNAVAILABLE', 'this gateway hosts no connector');
    return first.value;
  };
  const blockOf = async (c: Connector, txId: string): Promise<number> => (await c.ledger.transactionBlock(txId)) ?? -1;
  /** The refusal recorder first, then every other hosted connector. */
  const recorders = (): Connector[] => {
    const preferred = options.refusalRecorder === undefined ? undefined : options.connectors.get(options.refusalRecorder);
    return [...(preferred ? [preferred] : []), ...[...options.connectors.values()].filter((c) => c !== preferred)];
  };

  return {
    async institutionStatus(institutionId) {
      try {
        return (await anyConnector().ledger.getInstitution(institutionId)).status as InstitutionStatus;
      } catch (e) {
        return absentIfNotFound(e);
      }
    },

    async readiness() {
      const connectors = [...options.connectors.values()];
      if (connectors.length === 0) return { ledger: false, connector: false };
      const all = await Promise.all(
        connectors.map(async (c) => {
          const [r, suspended] = await Promise.all([
            c.readiness().catch(() => ({ ready: false, checks: { p2p: false, ledger: false, outbox: false } })),
            // the ledger refuses a suspended institution's own reads; when it does not answer at all,
            // the connector counts (and its ledger check fails)
            Promise.resolve()
              .then(() => c.ledger.getInstitution(c.institutionId))
              .then(
                (i) => i.status === 'suspended',
                (e: unknown) => isCodedError(e, 'CC_INSTITUTION_SUSPENDED'),
              ),
          ]);
          return { id: c.institutionId, r, suspended };
        }),
      );
      // a suspended institution's connector is paused by design: reported, not held against the gateway
      const counted = all.filter((a) => !a.suspended).map((a) => a.r);
      const suspended = all.filter((a) => a.suspended).map((a) => a.id);
      return {
        ledger: all.some((a) => a.r.checks.ledger) && counted.every((r) => r.checks.ledger),
        connector: counted.every((r) => r.ready),
        p2p: counted.every((r) => r.checks.p2p),
        outbox: counted.every((r) => r.checks.outbox),
        ...(suspended.length > 0 ? { suspended } : {}),
      };
    },

    async recordRefusals(refusals) {
      if (refusals.length === 0) return;
      let last: unknown = new GatewayError('GW_UNAVAILABLE', 'this gateway hosts no connector that can record refusals');
      for (const c of recorders()) {
        try {
          await c.ledger.recordRefusals(refusals.map((r) => ({ ...r })));
          return;
        } catch (e) {
          if (!isCodedError(e) || !CANNOT_RECORD.has(e.code)) throw e;
          last = e;
        }
      }
      throw last;
    },

    async listInstitutions(caller) {
      const all = await connectorOf(caller).ledger.listInstitutions();
      return all.map((i) => institutionView(i));
    },

    async admitInstitution(caller, input) {
      const r = await connectorOf(caller).ledger.admit({ ...input, roles: [...input.roles] });
      return { ...institutionView(r.value), txId: r.txId };
    },

    canHost: () => options.host !== undefined,

    async hostInstitution(caller, input) {
      const host = options.host;
      if (host === undefined) throw new GatewayError('GW_BAD_REQUEST', 'signerAddress is required: this gateway hosts no new institutions');
      const regulator = connectorOf(caller);
      let admitted: { value: Parameters<typeof institutionView>[0]; txId: string } | undefined;
      await host.host({ id: input.id, name: input.name, roles: [...input.roles] }, async (signerAddress) => {
        admitted = await regulator.ledger.admit({ id: input.id, name: input.name, roles: [...input.roles], signerAddress });
      });
      if (admitted === undefined) throw new GatewayError('GW_INTERNAL', `the host did not admit ${input.id}`);
      return { ...institutionView(admitted.value), txId: admitted.txId };
    },

    async suspendInstitution(caller, institutionId, reason) {
      const r = await connectorOf(caller).ledger.suspend(institutionId, reason);
      return { ...institutionView(r.value), txId: r.txId };
    },

    async reinstateInstitution(caller, institutionId, reason) {
      const r = await connectorOf(caller).ledger.reinstate(institutionId, reason);
      return { ...institutionView(r.value), txId: r.txId };
    },

    async registerSubject(caller, input) {
      const c = connectorOf(caller);
      const subjectToken = c.subjects.tokenOf(input.uscc);
      const r = await c.ledger.registerSubject(subjectToken, input.signers);
      return { subjectToken, txId: r.txId };
    },

    async draftConsent(caller, input) {
      const c = connectorOf(caller);
      const validUntil = Math.floor(Date.parse(input.validUntil) / 1000);
      const issuedAt = Math.floor(now().getTime() / 1000);
      if (!(validUntil > issuedAt)) throw new GatewayError('GW_BAD_REQUEST', 'validUntil must be in the future');
      return consentTypedData({
        consentId: `cst-${randomUUID()}`,
        subjectToken: c.subjects.tokenOf(input.uscc),
        grantee: input.grantee,
        products: [...input.products],
        purpose: input.purpose,
        validUntil,
        issuedAt,
      }) as unknown as TypedData;
    },

    async grantConsent(caller, input) {
      const m = input.message;
      const message = {
        consentId: m.consentId,
        subjectToken: m.subjectToken,
        grantee: m.grantee,
        products: [...m.products],
        purpose: m.purpose,
        validUntil: Number(m.validUntil),
        issuedAt: Number(m.issuedAt),
      };
      const r = await connectorOf(caller).ledger.grantConsent(message, input.signature).catch(consentReferenceInvalid);
      // a retried grant answers the recorded consent: its first txId
      return { consentId: r.value.consentId, txId: r.value.txId };
    },

    async draftConsentRevocation(caller, consentId) {
      const consent = await connectorOf(caller).ledger.getConsent(consentId);
      return revocationTypedData({ consentId, subjectToken: consent.subjectToken }) as unknown as TypedData;
    },

    async revokeConsent(caller, consentId, signature) {
      const r = await connectorOf(caller).ledger.revokeConsent(consentId, signature);
      return { status: 'revoked', txId: r.txId };
    },

    async getConsent(caller, consentId) {
      const consent = await connectorOf(caller).ledger.getConsent(consentId);
      // API.md: the grantee and the regulator only (the chaincode also answers the providers it covers)
      if (!caller.roles.includes('regulator') && consent.grantee !== caller.institutionId) {
        throw new GatewayError('GW_NOT_FOUND', `consent ${consentId} not found`);
      }
      return consentView(consent);
    },

    async listProducts(caller) {
      return (await connectorOf(caller).ledger.listProducts()).map(productView);
    },

    async getProduct(caller, productId) {
      const p = await connectorOf(caller).ledger.getProduct(productId);
      return { ...productView(p), policy: p.policy } as ProductWithPolicy;
    },

    async publishProduct(caller, input) {
      assertDocument('policy', input.policy);
      assertDocument('outputSchema', input.outputSchema);
      // the providers' connectors derive contract terms from it: refuse what they could not parse
      const policy = parsePolicy(input.policy);
      if (policy.target !== undefined && policy.target !== input.id) {
        throw new GatewayError('GW_BAD_REQUEST', `policy.target is ${policy.target}, not the product ${input.id}`);
      }
      const r = await connectorOf(caller).ledger.publishProduct({
        id: input.id,
        name: input.name,
        kind: input.kind,
        classification: input.classification,
        policy: policy as unknown as Record<string, unknown>,
        outputSchemaHash: contentHashOf(input.outputSchema),
        modelVersion: input.modelVersion,
      });
      return { ...productView(r.value), txId: r.txId };
    },

    async listProductOnExchange(caller, productId, certificateNo) {
      const r = await connectorOf(caller).ledger.listOnExchange(productId, certificateNo);
      return { ...productView(r.value), txId: r.txId };
    },

    async unlistProduct(caller, productId) {
      const r = await connectorOf(caller).ledger.unlistProduct(productId);
      return { ...productView(r.value), txId: r.txId };
    },

    async delistProduct(caller, productId) {
      const r = await connectorOf(caller).ledger.delistProduct(productId);
      return { ...productView(r.value), txId: r.txId };
    },

    async updateProductVersion(caller, productId, input) {
      if (input.outputSchema !== undefined) assertDocument('outputSchema', input.outputSchema);
      const hash = input.outputSchema === undefined ? '' : contentHashOf(input.outputSchema);
      const r = await connectorOf(caller).ledger.updateProductVersion(productId, input.modelVersion, hash);
      return { ...productView(r.value), txId: r.txId };
    },

    async agreeContract(caller, input, idempotency = {}) {
      const validUntil = input.validUntil === undefined ? undefined : new Date(input.validUntil);
      if (validUntil !== undefined && !(validUntil.getTime() > now().getTime())) {
        throw new GatewayError('GW_BAD_REQUEST', 'validUntil must be in the future');
      }
      const id = negotiationId(caller.institutionId, idempotency.idempotencyKey);
      const contract = await connectorOf(caller).consumer.negotiate({
        productId: input.productId,
        purpose: input.purpose,
        ...(validUntil ? { validUntil } : {}),
        ...(id !== undefined ? { negotiationId: id } : {}),
      });
      return contractView(contract);
    },

    async getContract(caller, contractId) {
      const contract = await connectorOf(caller).ledger.getContract(contractId);
      const regulator = caller.roles.includes('regulator');
      if (!regulator && contract.provider !== caller.institutionId && contract.consumer !== caller.institutionId) {
        throw new GatewayError('GW_NOT_FOUND', `contract ${contractId} not found`);
      }
      return contractView(contract);
    },

    async terminateContract(caller, contractId, reason) {
      const r = await connectorOf(caller).ledger.terminateContract(contractId, reason);
      return { ...contractView(r.value), txId: r.txId };
    },

    async requestRiskReport(caller, input, idempotency = {}) {
      const c = connectorOf(caller);
      const requestId = reportRequestId(caller.institutionId, idempotency.idempotencyKey);
      const result = await c.consumer.requestReport({
        contractId: input.contractId,
        consentId: input.consentId,
        subjectToken: c.subjects.tokenOf(input.uscc),
        ...(requestId !== undefined ? { requestId } : {}),
      });
      return result as never;
    },

    async recordLendingEvents(caller, events, lendingOptions = {}) {
      const batchId = lendingBatchId(caller.institutionId, lendingOptions.idempotencyKey);
      const r = await connectorOf(caller).recordLendingEvents(batchId, events);
      return { accepted: r.accepted, txIds: [r.txId], batchId };
    },

    async checkMultiLending(caller, input, idempotency = {}) {
      const checkId = multiLendingCheckId(caller.institutionId, idempotency.idempotencyKey);
      return { ...(await connectorOf(caller).lending.check(input.uscc, input.consentId, checkId)) };
    },

    async checkFraudRing(caller, input, idempotency = {}) {
      const checkId = multiLendingCheckId(caller.institutionId, idempotency.idempotencyKey);
      return { ...(await connectorOf(caller).rings.check(input.uscc, input.consentId, checkId)) };
    },

    async verifyProvenance(caller, input) {
      assertDocument('report', input.report);
      assertDocument('receipt', input.receipt);
      // GET /v1/provenance/{id} adds the ledger's `block` and `recordedAt` to the receipt: exactly
      // those two are dropped, so its output verifies as is; any other extra field fails the checks
      const { block: _block, recordedAt: _recordedAt, ...issued } = input.receipt as Record<string, unknown>;
      const receipt = issued as unknown as ReportReceipt;
      if (!looksLikeReceipt(receipt)) {
        throw new GatewayError('GW_BAD_REQUEST', 'receipt is missing fields (receiptId, contractId, consentId, outputHash, provider, signature, issuedAt)');
      }
      return verifyProvenance(connectorOf(caller).ledger, input.report, receipt);
    },

    async getReceipt(caller, receiptId) {
      const c = connectorOf(caller);
      const receipt = await c.ledger.getReceipt(receiptId);
      return { ...receipt, block: await blockOf(c, receipt.txId) };
    },

    async auditEvents(caller, query) {
      const c = connectorOf(caller);
      const { subject, ...rest } = query;
      const page = await c.ledger.auditEvents({ ...rest, ...(subject !== undefined ? { subject: c.subjects.tokenOf(subject) } : {}) });
      const events = await Promise.all(
        page.events.map(async (e) => ({ ...e, block: await blockOf(c, e.txId) }) as AuditEvent),
      );
      return page.cursor ? { events, cursor: page.cursor } : { events };
    },

    async auditIntegrity(caller) {
      const report = await connectorOf(caller).ledger.checkIntegrity();
      return { ok: report.ok, height: report.height, headHash: report.headHash, ...(report.problems ? { problems: report.problems } : {}) };
    },

    async auditStats(caller, query) {
      const stats = await connectorOf(caller).ledger.auditStats({ from: query.from, to: query.to, bucket: query.bucket });
      return { buckets: [...stats.buckets] };
    },
  };
}
