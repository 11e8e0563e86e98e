/**
 * A test-only in-memory Services: enough state to answer every endpoint and produce the
 * documented refusals naturally (404, 409, 403 POLICY_DENIED, 422); `failNext` makes a method
 * throw any coded error, to exercise the error table. Not a model of the real rules, but
 * every error it throws is one the real layers throw: chaincode codes from the chaincode's
 * ErrorCode table (as the ledger client's ChaincodeError), connector codes from the
 * connector's tables (remote refusals as the P2PError the consumer receives).
 */
import { createHash } from 'node:crypto';
import { ErrorCode } from '@xinlian/chaincode';
import { P2PError, P2PErrorCode, PolicyDenyCode } from '@xinlian/connector';
import { ChaincodeError } from '@xinlian/network';
import type {
  AuditEvent,
  Caller,
  ConsentView,
  ContractView,
  Institution,
  InstitutionStatus,
  ProductWithPolicy,
  GatewayRefusal,
  Product,
  Readiness,
  RecordedReceipt,
  Services,
} from '../../src/services.js';

type Method = keyof Services;
export interface Call {
  readonly method: Method;
  readonly caller?: Caller;
  readonly args: readonly unknown[];
}

const hash = (text: string) => `0x${createHash('sha256').update(text).digest('hex')}`;
export const tokenOf = (uscc: string) => hash(`subject:${uscc}`);
/** A chaincode refusal exactly as the ledger client throws it. */
export const cc = (code: ErrorCode, message: string) => new ChaincodeError(code, `[${code}] ${message}`);
/** A provider's policy denial as the consumer's connector receives it over libp2p. */
export const remoteDenial = (code: PolicyDenyCode, message: string, rule: string) =>
  new P2PError(P2PErrorCode.REMOTE_DENIED, `prov-1 denied: ${message}`, { remote: { status: 'DENIED', code, message, rule, institutionId: 'prov-1' } });
const iso = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString();

export function newInstitution(id: string, roles: Institution['roles'], status: InstitutionStatus = 'active'): Institution {
  return { id, name: `${id} Ltd`, roles, status };
}

export interface FakeServices extends Services {
  readonly calls: Call[];
  readonly institutions: Map<string, Institution>;
  readiness_: Readiness;
  /** Refusals written through recordRefusals, in order. */
  readonly refusals: GatewayRefusal[];
  /** Whether hostInstitution is available (default true). */
  hosting: boolean;
  failNext(method: Method, error: unknown): void;
  callsOf(method: Method): Call[];
}

export function createFakeServices(institutions: readonly Institution[]): FakeServices {
  const calls: Call[] = [];
  const failures = new Map<Method, unknown>();
  const members = new Map(institutions.map((i) => [i.id, i]));
  const consents = new Map<string, ConsentView>();
  const products = new Map<string, ProductWithPolicy>([
    ['risk-score-v1', { id: 'risk-score-v1', provider: 'prov-1', name: 'SME risk score', kind: 'score', classification: 2, modelVersion: '1.0.0', status: 'active', policy: { purposes: ['pre_loan', 'in_loan'] } }],
  ]);
  const contracts = new Map<string, ContractView>();
  const receipts = new Map<string, RecordedReceipt>();
  const audit: AuditEvent[] = Array.from({ length: 5 }, (_, i) => ({ txId: `tx-a${i}`, block: i + 1, type: 'consent_granted', institution: 'ml-1', at: iso(i) }));
  let seq = 0;
  const next = (prefix: string) => `${prefix}-${++seq}`;

  function enter(method: Method, caller: Caller | undefined, ...args: unknown[]): void {
    calls.push({ method, ...(caller ? { caller } : {}), args });
    if (failures.has(method)) {
      const error = failures.get(method);
      failures.delete(method);
      throw error;
    }
  }
  function need<T>(map: Map<string, T>, id: string, what: string): T {
    const v = map.get(id);
    if (v === undefined) throw cc(ErrorCode.NOT_FOUND, `${what} ${id} not found`);
    return v;
  }
  const view = ({ policy: _policy, ...p }: ProductWithPolicy): Product => p;
  const typedData = (primaryType: string, message: Record<string, unknown>) => ({
    domain: { name: 'xinlian', version: '1' },
    types: { [primaryType]: Object.keys(message).map((name) => ({ name, type: 'string' })) },
    primaryType,
    message,
  });

  const services: FakeServices = {
    calls,
    institutions: members,
    readiness_: { ledger: true, connector: true },
    refusals: [],
    hosting: true,
    failNext: (method, error) => void failures.set(method, error),
    callsOf: (method) => calls.filter((c) => c.method === method),

    async institutionStatus(id) {
      enter('institutionStatus', undefined, id);
      return members.get(id)?.status;
    },
    async readiness() {
      enter('readiness', undefined);
      return services.readiness_;
    },
    async recordRefusals(list) {
      enter('recordRefusals', undefined, list);
      services.refusals.push(...list);
    },
    canHost: () => services.hosting,
    async hostInstitution(caller, input) {
      enter('hostInstitution', caller, input);
      if (members.has(input.id)) throw cc(ErrorCode.CONFLICT, `institution ${input.id} already exists`);
      const inst = { ...newInstitution(input.id, [...input.roles]), name: input.name };
      members.set(inst.id, inst);
      return inst;
    },
    async reinstateInstitution(caller, id, reason) {
      enter('reinstateInstitution', caller, id, reason);
      const current = need(members, id, 'institution');
      if (current.status !== 'suspended') throw cc(ErrorCode.INVALID_STATE, `institution ${id} is not suspended`);
      const inst = { ...current, status: 'active' as const };
      members.set(id, inst);
      return inst;
    },
    async listInstitutions(caller) {
      enter('listInstitutions', caller);
      return [...members.values()];
    },
    async admitInstitution(caller, input) {
      enter('admitInstitution', caller, input);
      if (members.has(input.id)) throw cc(ErrorCode.CONFLICT, `institution ${input.id} already exists`);
      const inst = { ...newInstitution(input.id, [...input.roles]), name: input.name, signerAddress: input.signerAddress };
      members.set(inst.id, inst);
      return inst;
    },
    async suspendInstitution(caller, id, reason) {
      enter('suspendInstitution', caller, id, reason);
      const inst = { ...need(members, id, 'institution'), status: 'suspended' as const };
      members.set(id, inst);
      return inst;
    },
    async registerSubject(caller, input) {
      enter('registerSubject', caller, input);
      return { subjectToken: tokenOf(input.uscc), txId: next('tx') };
    },
    async draftConsent(caller, input) {
      enter('draftConsent', caller, input);
      return typedData('Consent', { consentId: next('consent'), subjectToken: tokenOf(input.uscc), grantee: input.grantee, products: input.products, purpose: input.purpose, validUntil: Date.parse(input.validUntil) / 1000, issuedAt: 1_735_689_600 });
    },
    async grantConsent(caller, { message }) {
      enter('grantConsent', caller, message);
      const consent: ConsentView = { consentId: message.consentId, grantee: message.grantee, products: [...message.products], purpose: message.purpose, validUntil: new Date(Number(message.validUntil) * 1000).toISOString(), status: 'active' };
      consents.set(consent.consentId, consent);
      return { consentId: consent.consentId, txId: next('tx') };
    },
    async draftConsentRevocation(caller, consentId) {
      enter('draftConsentRevocation', caller, consentId);
      need(consents, consentId, 'consent');
      return typedData('ConsentRevocation', { consentId, subjectToken: hash('any') });
    },
    async revokeConsent(caller, consentId, signature) {
      enter('revokeConsent', caller, consentId, signature);
      consents.set(consentId, { ...need(consents, consentId, 'consent'), status: 'revoked' });
      return { status: 'revoked', txId: next('tx') };
    },
    async getConsent(caller, consentId) {
      enter('getConsent', caller, consentId);
      return need(consents, consentId, 'consent');
    },
    async listProducts(caller) {
      enter('listProducts', caller);
      return [...products.values()].map(({ policy: _policy, ...p }) => p);
    },
    async getProduct(caller, id) {
      enter('getProduct', caller, id);
      return need(products, id, 'product');
    },
    async publishProduct(caller, input) {
      enter('publishProduct', caller, input);
      if (products.has(input.id)) throw cc(ErrorCode.CONFLICT, `product ${input.id} exists`);
      const { outputSchema: _schema, ...rest } = input;
      const product = { ...rest, provider: caller.institutionId, status: 'active' };
      products.set(product.id, product);
      const { policy: _policy, ...view } = product;
      return view;
    },
    async listProductOnExchange(caller, productId, certificateNo) {
      enter('listProductOnExchange', caller, productId, certificateNo);
      const product = need(products, productId, 'product');
      for (const p of products.values()) {
        if (p.id !== productId && p.listing?.certificateNo === certificateNo) throw cc(ErrorCode.CONFLICT, `certificate ${certificateNo} is used by ${p.id}`);
      }
      const listed = { ...product, listing: { exchange: caller.institutionId, certificateNo, listedAt: iso(0) } };
      products.set(productId, listed);
      const { policy: _policy, ...view } = listed;
      return view;
    },
    async unlistProduct(caller, productId) {
      enter('unlistProduct', caller, productId);
      const product = need(products, productId, 'product');
      if (!product.listing) throw cc(ErrorCode.INVALID_STATE, `product ${productId} is not listed`);
      if (product.listing.exchange !== caller.institutionId) throw cc(ErrorCode.FORBIDDEN, `product ${productId} is listed by ${product.listing.exchange}`);
      const { listing: _listing, ...rest } = product;
      products.set(productId, rest);
      return view(rest);
    },
    async delistProduct(caller, productId) {
      enter('delistProduct', caller, productId);
      const product = need(products, productId, 'product');
      if (product.provider !== caller.institutionId) throw cc(ErrorCode.FORBIDDEN, `product ${productId} is not yours`);
      if (product.status !== 'active') throw cc(ErrorCode.INVALID_STATE, `product ${productId} is ${product.status}`);
      const delisted = { ...product, status: 'delisted' };
      products.set(productId, delisted);
      for (const [id, c] of contracts) if (c.productId === productId && c.status === 'active') contracts.set(id, { ...c, status: 'terminated' });
      return view(delisted);
    },
    async updateProductVersion(caller, productId, input) {
      enter('updateProductVersion', caller, productId, input);
      const product = need(products, productId, 'product');
      if (product.provider !== caller.institutionId) throw cc(ErrorCode.FORBIDDEN, `product ${productId} is not yours`);
      const updated = { ...product, modelVersion: input.modelVersion };
      products.set(productId, updated);
      return view(updated);
    },
    async terminateContract(caller, id, reason) {
      enter('terminateContract', caller, id, reason);
      const contract = need(contracts, id, 'contract');
      if (contract.provider !== caller.institutionId && contract.consumer !== caller.institutionId) throw cc(ErrorCode.FORBIDDEN, `contract ${id} is not yours`);
      if (contract.status !== 'active') throw cc(ErrorCode.INVALID_STATE, `contract ${id} is ${contract.status}`);
      const ended = { ...contract, status: 'terminated' };
      contracts.set(id, ended);
      return ended;
    },
    async auditStats(caller, query) {
      enter('auditStats', caller, query);
      return { buckets: [{ start: query.from, type: 'consent_granted', institution: 'ml-1', count: audit.length }] };
    },
    async agreeContract(caller, input) {
      enter('agreeContract', caller, input);
      const product = need(products, input.productId, 'product');
      const purposes = product.policy['purposes'] as string[];
      if (!purposes.includes(input.purpose)) throw remoteDenial(PolicyDenyCode.PURPOSE, `purpose ${input.purpose} not allowed`, 'purpose-allowed');
      const contract: ContractView = { contractId: next('contract'), provider: product.provider, consumer: caller.institutionId, productId: product.id, purpose: input.purpose, validUntil: input.validUntil ?? iso(60 * 24 * 30), status: 'active' };
      contracts.set(contract.contractId, contract);
      return contract;
    },
    async getContract(caller, id) {
      enter('getContract', caller, id);
      return need(contracts, id, 'contract');
    },
    async requestRiskReport(caller, input, options) {
      enter('requestRiskReport', caller, input, options);
      const contract = need(contracts, input.contractId, 'contract');
      if (contract.status !== 'active') throw cc(ErrorCode.CONTRACT_INACTIVE, `contract ${contract.contractId} is ${contract.status}`);
      const consent = consents.get(input.consentId);
      if (!consent || consent.status !== 'active') throw cc(consent ? ErrorCode.CONSENT_REVOKED : ErrorCode.CONSENT_NOT_FOUND, `consent ${input.consentId} is not valid`);
      const report = { productId: contract.productId, subjectToken: tokenOf(input.uscc), score: 712, grade: 'B' as const, dimensions: { basicInfo: 80, operationalStability: 70, creditHistory: 75, businessCondition: 66, repaymentCapacity: 71 }, reasonCodes: ['TAX_TREND_UP'], modelVersion: '1.0.0', generatedAt: iso(1) };
      const receipt: RecordedReceipt = { receiptId: next('receipt'), contractId: contract.contractId, consentId: consent.consentId, outputHash: hash(JSON.stringify(report)), provider: contract.provider, signature: `0x${'ab'.repeat(65)}`, txId: next('tx'), block: 7 };
      receipts.set(receipt.receiptId, receipt);
      const { block: _block, ...plain } = receipt;
      return { report, receipt: plain };
    },
    async recordLendingEvents(caller, events, options) {
      enter('recordLendingEvents', caller, events, options);
      return { accepted: events.length, txIds: [next('tx')] };
    },
    async checkMultiLending(caller, input) {
      enter('checkMultiLending', caller, input);
      const consent = consents.get(input.consentId);
      if (!consent || consent.grantee !== caller.institutionId) throw cc(consent ? ErrorCode.CONSENT_GRANTEE_MISMATCH : ErrorCode.CONSENT_NOT_FOUND, 'no valid consent for this caller');
      const none = { institutions: 0, applications: 0 };
      const w = (n: number) => ({ institutions: n, applications: n * 2, loans: 0, rejections: 0, byLenderType: { bank: none, microlender: { institutions: n, applications: n * 2 }, guarantor: none, other: none } });
      return {
        checkId: next('check'),
        txId: next('tx'),
        requestedAt: '2026-01-10T00:00:00.000Z',
        purpose: consent.purpose,
        windows: { '7d': w(1), '15d': w(1), '30d': w(2), '90d': w(3), '180d': w(3), '365d': w(3) },
        overdueInstitutions: 0,
        overdueInstitutions5y: 0,
        openLoans: 1,
        debt: { lenders: 1, openLoans: 1, outstandingAmount: 100_000 },
        velocity: { daysSinceLastApplication: 1, daysSinceFirstApplication: 80, monthsWithApplications12m: 3, maxApplicationsIn24h: 1 },
        self: { applications365d: 0, openLoans: 0 },
        reasons: [],
        alert: false,
        disputed: 0,
      };
    },
    async verifyProvenance(caller, input) {
      enter('verifyProvenance', caller, input);
      const recorded = receipts.get(String(input.receipt['receiptId']));
      const hashOk = input.receipt['outputHash'] === hash(JSON.stringify(input.report));
      const checks = { hash: hashOk, signature: recorded !== undefined, ledger: recorded !== undefined, contract: true, consent: true };
      return { valid: Object.values(checks).every(Boolean), checks };
    },
    async getReceipt(caller, receiptId) {
      enter('getReceipt', caller, receiptId);
      return need(receipts, receiptId, 'receipt');
    },
    async auditEvents(caller, query) {
      enter('auditEvents', caller, query);
      const start = query.cursor ? Number(query.cursor) : 0;
      const limit = query.limit ?? 100;
      const page = audit.filter((e) => !query.type || e.type === query.type).slice(start, start + limit);
      const more = start + limit < audit.length;
      return { events: page, ...(more ? { cursor: String(start + limit) } : {}) };
    },
    async auditIntegrity(caller) {
      enter('auditIntegrity', caller);
      return { ok: true, height: 8, headHash: 'ab'.repeat(32) };
    },
  };
  return services;
}
