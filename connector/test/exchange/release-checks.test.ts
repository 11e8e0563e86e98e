/**
 * Issue 10, items 1, 7, 12 and 14, through the real path (embedded ledger with the real
 * chaincode, connectors over libp2p on loopback, LevelDB stores): every release is checked
 * at the moment of release, only CC_NOT_FOUND reads as absent, the output is the contracted
 * product's, and provenance checks every receipt field.
 */
import type { UsageContract } from '@xinlian/chaincode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyProvenance } from '../../src/exchange/provenance.js';
import { defaultProductPolicy } from '../../src/policy/index.js';
import type { ReportReceipt } from '../../src/exchange/report.js';
import { receiptRecords } from './support/audit.js';
import { LENDER_A, LENDER_B, PRODUCTS, PROVIDER, TestConsortium } from './support/consortium.js';
import { Faults, faultyClient } from './support/faults.js';
import { gatedClient, SubmitGate } from './support/gated-ledger.js';
import { failure } from './support/failure.js';

describe('every release is checked at the moment of release (item 1)', () => {
  let c: TestConsortium;
  let contract: UsageContract;

  beforeAll(async () => {
    c = await TestConsortium.open();
    contract = await c.lenderA.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'pre_loan' });
  });
  afterAll(async () => c?.close());

  it('refuses a retried request once the consent was revoked, though the first answer was delivered', async () => {
    const consentId = await c.grantConsent({ subject: c.subjects[0]!, grantee: LENDER_A, products: [PRODUCTS.score.id] });
    const input = { contractId: contract.contractId, consentId, subjectToken: c.subjects[0]!.token, requestId: 'req-retry-revoked' };
    const first = await c.lenderA.consumer.requestReport(input);
    expect(await receiptRecords(c, first.receipt.receiptId)).toBe(1);
    await c.revokeConsent(c.subjects[0]!, consentId);
    const e = await failure(c.lenderA.consumer.requestReport(input));
    expect(e).toMatchObject({ code: 'CONN_CONSENT_INVALID' });
    expect(String(e['message'])).toContain('CC_CONSENT_REVOKED');
  });

  it('refuses a retried request once the contract was terminated', async () => {
    const ended = await c.lenderA.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'pre_loan' });
    const consentId = await c.grantConsent({ subject: c.subjects[1]!, grantee: LENDER_A, products: [PRODUCTS.score.id] });
    const input = { contractId: ended.contractId, consentId, subjectToken: c.subjects[1]!.token, requestId: 'req-retry-terminated' };
    await c.lenderA.consumer.requestReport(input);
    await c.lenderA.ledger.terminateContract(ended.contractId, 'loan repaid');
    const e = await failure(c.lenderA.consumer.requestReport(input));
    expect(e).toMatchObject({ code: 'CONN_CONTRACT_INVALID' });
    expect(String(e['message'])).toContain('terminated');
  });

  it('refuses a retried request once the product was delisted', async () => {
    await c.provider.ledger.publishProduct({
      id: 'sme-score-short',
      name: 'short-lived',
      kind: 'score',
      classification: 2,
      policy: defaultProductPolicy({ productId: 'sme-score-short' }) as unknown as Record<string, unknown>,
      outputSchemaHash: '0x' + '1'.repeat(64),
      modelVersion: 'sme-scorecard-1.0.0',
    });
    const short = await c.lenderA.consumer.negotiate({ productId: 'sme-score-short', purpose: 'pre_loan' });
    const consentId = await c.grantConsent({ subject: c.subjects[2]!, grantee: LENDER_A, products: ['sme-score-short'] });
    const input = { contractId: short.contractId, consentId, subjectToken: c.subjects[2]!.token, requestId: 'req-retry-delisted' };
    await c.lenderA.consumer.requestReport(input);
    await c.provider.ledger.delistProduct('sme-score-short');
    const e = await failure(c.lenderA.consumer.requestReport(input));
    expect(e).toMatchObject({ code: 'CONN_CONTRACT_INVALID' }); // delisting ends the product's contracts
  });

  it('refuses a release resumed after a restart when the consent was revoked while the provider was down', async () => {
    const consentId = await c.grantConsent({ subject: c.subjects[3]!, grantee: LENDER_A, products: [PRODUCTS.score.id] });
    const input = { contractId: contract.contractId, consentId, subjectToken: c.subjects[3]!.token, requestId: 'req-resumed-revoked' };
    const gate = new SubmitGate();
    await c.restart(PROVIDER, (_id, client) => gatedClient(client, gate));
    gate.hold('receipts:Record');
    const asking = c.lenderA.consumer.requestReport(input);
    asking.catch(() => undefined);
    await gate.arrived(); // decided, counted, persisted: only the receipt is missing
    await c.stop(PROVIDER);
    gate.crash();
    await expect(asking).rejects.toBeTruthy();
    await c.revokeConsent(c.subjects[3]!, consentId);
    await c.restart(PROVIDER);
    const e = await failure(c.lenderA.consumer.requestReport(input));
    expect(e).toMatchObject({ code: 'CONN_CONSENT_INVALID' });
    expect(String(e['message'])).toContain('CC_CONSENT_REVOKED');
  });
});

describe('a release is the contracted product’s output: its kind, its model version (item 12)', () => {
  let c: TestConsortium;

  beforeAll(async () => {
    c = await TestConsortium.open();
  });
  afterAll(async () => c?.close());

  it('releases nothing under a contract and consent for the multi-lending check product (no model for its kind)', async () => {
    const contract = await c.lenderA.consumer.negotiate({ productId: PRODUCTS.check.id, purpose: 'pre_loan' });
    const consentId = await c.grantConsent({ subject: c.subjects[0]!, grantee: LENDER_A, products: [PRODUCTS.check.id] });
    const e = await failure(c.lenderA.consumer.requestReport({ contractId: contract.contractId, consentId, subjectToken: c.subjects[0]!.token }));
    expect(e).toMatchObject({ code: 'CONN_KIND_UNSUPPORTED' });
    expect(await c.provider.store.usage.get(contract.contractId)).toBeUndefined();
  });

  it("stamps the output and its receipt with the product's declared model version", async () => {
    await c.provider.ledger.updateProductVersion(PRODUCTS.other.id, 'sme-report-2.1.0', '');
    const contract = await c.lenderA.consumer.negotiate({ productId: PRODUCTS.other.id, purpose: 'pre_loan' });
    const consentId = await c.grantConsent({ subject: c.subjects[1]!, grantee: LENDER_A, products: [PRODUCTS.other.id] });
    const { report, receipt } = await c.lenderA.consumer.requestReport({ contractId: contract.contractId, consentId, subjectToken: c.subjects[1]!.token });
    expect(report.modelVersion).toBe('sme-report-2.1.0');
    expect(receipt.modelVersion).toBe('sme-report-2.1.0');
    expect((await c.regulator.ledger.getReceipt(receipt.receiptId)).modelVersion).toBe('sme-report-2.1.0');
  });
});

describe('provenance checks every receipt field against the ledger (item 14)', () => {
  let c: TestConsortium;
  let report: Record<string, unknown>;
  let receipt: ReportReceipt;

  beforeAll(async () => {
    c = await TestConsortium.open();
    const contract = await c.lenderA.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'pre_loan' });
    const consentId = await c.grantConsent({ subject: c.subjects[0]!, grantee: LENDER_A, products: [PRODUCTS.score.id] });
    const got = await c.lenderA.consumer.requestReport({ contractId: contract.contractId, consentId, subjectToken: c.subjects[0]!.token });
    report = got.report as unknown as Record<string, unknown>;
    receipt = got.receipt;
  });
  afterAll(async () => c?.close());

  const verify = (r: unknown) => verifyProvenance(c.get(LENDER_B).ledger, report, r as ReportReceipt);

  it('verifies the genuine receipt', async () => {
    expect(await verify(receipt)).toEqual({ valid: true, checks: { hash: true, signature: true, ledger: true, contract: true, consent: true } });
  });

  it('refuses a receipt whose txId was changed, upper-cased or deleted', async () => {
    const { txId, ...withoutTxId } = receipt;
    for (const tampered of [{ ...receipt, txId: `${txId.slice(0, -1)}${txId.endsWith('0') ? '1' : '0'}` }, { ...receipt, txId: txId.toUpperCase() }, withoutTxId]) {
      const verdict = await verify(tampered);
      expect(verdict.valid, JSON.stringify(tampered)).toBe(false);
      expect(verdict.checks.ledger).toBe(false);
    }
  });

  it('refuses a receipt with a field added, even one the ledger record has', async () => {
    const recorded = await c.regulator.ledger.getReceipt(receipt.receiptId);
    for (const extra of [{ recordedAt: recorded.recordedAt }, { note: 'trust me' }]) {
      const verdict = await verify({ ...receipt, ...extra });
      expect(verdict.valid, JSON.stringify(extra)).toBe(false);
      expect(verdict.checks.ledger).toBe(false);
    }
  });

  it('refuses a receipt with any field changed or mistyped', async () => {
    const changes: Record<string, unknown>[] = [
      { consumer: LENDER_B },
      { modelVersion: 'sme-scorecard-9.9.9' },
      { issuedAt: receipt.issuedAt + 1 },
      { issuedAt: String(receipt.issuedAt) },
      { recordedBy: PROVIDER },
    ];
    for (const change of changes) expect((await verify({ ...receipt, ...change })).valid, JSON.stringify(change)).toBe(false);
  });
});

describe('only CC_NOT_FOUND means absent; any other ledger failure propagates (item 7)', () => {
  let c: TestConsortium;
  const faults = new Map<string, Faults>();
  const faultsOf = (id: string): Faults => {
    let f = faults.get(id);
    if (!f) faults.set(id, (f = new Faults()));
    return f;
  };
  let contract: UsageContract;
  let consentId: string;

  beforeAll(async () => {
    c = await TestConsortium.open({ wrapLedger: (id, client) => faultyClient(client, faultsOf(id)) });
    contract = await c.lenderA.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'pre_loan' });
    consentId = await c.grantConsent({ subject: c.subjects[0]!, grantee: LENDER_A, products: [PRODUCTS.score.id] });
  });
  afterAll(async () => c?.close());

  const ask = () => c.lenderA.consumer.requestReport({ contractId: contract.contractId, consentId, subjectToken: c.subjects[0]!.token });

  for (const name of ['contracts:Get', 'products:Get', 'consents:Check']) {
    it(`the provider answers an error, not a refusal, when ${name} fails with CC_INTERNAL`, async () => {
      faultsOf(PROVIDER).evaluate.set(name, Faults.failing('CC_INTERNAL'));
      try {
        const e = await failure(ask());
        expect(e).toMatchObject({ code: 'CONN_REMOTE_ERROR', remote: { status: 'ERROR', code: 'CC_INTERNAL' } });
      } finally {
        faultsOf(PROVIDER).evaluate.delete(name);
      }
      await expect(ask()).resolves.toBeDefined(); // and serves again once the ledger does
    });
  }

  it('the consumer does not take a failing contract read for "no contract yet"', async () => {
    faultsOf(LENDER_A).evaluate.set('contracts:Get', Faults.failing('CC_INTERNAL'));
    try {
      const e = await failure(c.lenderA.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'in_loan' }));
      expect(e).toMatchObject({ code: 'CC_INTERNAL' });
    } finally {
      faultsOf(LENDER_A).evaluate.delete('contracts:Get');
    }
  });

  it("provenance throws the ledger's error instead of an all-false verdict", async () => {
    const { report, receipt } = await ask();
    faultsOf(LENDER_B).evaluate.set('institutions:Get', Faults.failing('CC_INTERNAL'));
    try {
      await expect(verifyProvenance(c.lenderB.ledger, report as unknown as Record<string, unknown>, receipt)).rejects.toMatchObject({ code: 'CC_INTERNAL' });
    } finally {
      faultsOf(LENDER_B).evaluate.delete('institutions:Get');
    }
    // A suspended verifier cannot read the ledger: an error, never "not genuine".
    await c.regulator.ledger.suspend(LENDER_B, 'review');
    try {
      await expect(verifyProvenance(c.lenderB.ledger, report as unknown as Record<string, unknown>, receipt)).rejects.toMatchObject({
        code: 'CC_INSTITUTION_SUSPENDED',
      });
    } finally {
      await c.regulator.ledger.reinstate(LENDER_B, 'review closed');
    }
    expect((await verifyProvenance(c.lenderB.ledger, report as unknown as Record<string, unknown>, receipt)).valid).toBe(true);
  });
});
