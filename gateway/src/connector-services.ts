import { randomUUID } from 'node:crypto';
import { consentTypedData, revocationTypedData } from '@xinlian/chaincode';
import { isChaincodeError } from '@xinlian/network';
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
import type { AuditEvent, Caller, InstitutionStatus, ProductWithPolicy, Services, TypedData } from './services.js';

export interface ConnectorServicesOptions {
  /** The connectors this gateway hosts, by institution id (each with its own ledger client). */
  readonly connectors: ReadonlyMap<string, Connector>;
  readonly now?: () => Date;
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
  const blockOf = async (c: Connector, txId: string): Promise<number> => {
    const tx = await c.ledger.client.getTransaction(txId);
    return tx ? Number(tx.blockNumber) : -1;
  };

  return {
    async institutionStatus(institutionId) {
      try {
        return (await anyConnector().ledger.getInstitution(institutionId)).status as InstitutionStatus;
      } catch (e) {
        if (isChaincodeError(e)) return undefined;
        throw e;
      }
    },

    async readiness() {
      try {
        await anyConnector().ledger.client.getHeight();
        return { ledger: true, connector: options.connectors.size > 0 };
      } catch {
        return { ledger: false, connector: options.connectors.size > 0 };
      }
    },

    async listInstitutions(caller) {
      const all = await connectorOf(caller).ledger.listInstitutions();
      return all.map((i) => institutionView(i));
    },

    async admitInstitution(caller, input) {
      const r = await connectorOf(caller).ledger.admit({ ...input, roles: [...input.roles] });
      return { ...institutionView(r.value), txId: r.txId };
    },

    async suspendInstitution(caller, institutionId, reason) {
      const r = await connectorOf(caller).ledger.suspend(institutionId, reason);
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
      return { consentId: r.value.consentId, txId: r.txId };
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
      return consentView(await connectorOf(caller).ledger.getConsent(consentId));
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

    async agreeContract(caller, input) {
      const validUntil = input.validUntil === undefined ? undefined : new Date(input.validUntil);
      if (validUntil !== undefined && !(validUntil.getTime() > now().getTime())) {
        throw new GatewayError('GW_BAD_REQUEST', 'validUntil must be in the future');
      }
      const contract = await connectorOf(caller).consumer.negotiate({
        productId: input.productId,
        purpose: input.purpose,
        ...(validUntil ? { validUntil } : {}),
      });
      return contractView(contract);
    },

    async getContract(caller, contractId) {
      const contract = await connectorOf(caller).ledger.getContract(contractId);
      const regulator = caller.roles.includes('regulator');
      if (!regulator && contract.provider !== caller.institutionId && contract.consumer !== caller.institutionId) {
        throw new GatewayError('GW_NOT_FOUND', `no contract ${contractId} of yours`);
      }
      return contractView(contract);
    },

    async requestRiskReport(caller, input) {
      const c = connectorOf(caller);
      const result = await c.consumer.requestReport({
        contractId: input.contractId,
        consentId: input.consentId,
        subjectToken: c.subjects.tokenOf(input.uscc),
      });
      return result as never;
    },

    async recordLendingEvents(caller, events) {
      const r = await connectorOf(caller).lending.record(events);
      return { accepted: r.accepted, txIds: [r.txId] };
    },

    async checkMultiLending(caller, input) {
      return { ...(await connectorOf(caller).lending.check(input.uscc, input.consentId)) };
    },

    async verifyProvenance(caller, input) {
      assertDocument('report', input.report);
      assertDocument('receipt', input.receipt);
      const receipt = input.receipt as unknown as ReportReceipt;
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
      const page = await c.ledger.auditEvents(query);
      const events = await Promise.all(
        page.events.map(async (e) => ({ ...e, block: await blockOf(c, e.txId) }) as AuditEvent),
      );
      return page.cursor ? { events, cursor: page.cursor } : { events };
    },

    async auditIntegrity(caller) {
      const report = await connectorOf(caller).ledger.client.checkIntegrity();
      return { ok: report.ok, height: report.height, headHash: report.headHash, ...(report.problems ? { problems: report.problems } : {}) };
    },
  };
}
