import type { UsageContract } from '@xinlian/chaincode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyProvenance } from '../../src/exchange/provenance.js';
import { outputHashOf } from '../../src/exchange/report.js';
import { Protocols } from '../../src/p2p/index.js';
import { receiptRecords, auditRecords } from './support/audit.js';
import { LENDER_A, PRODUCTS, PROVIDER, TestConsortium } from './support/consortium.js';
import { rawValuesOf } from './support/enterprises.js';
import { WireCapture } from './support/wire-capture.js';

describe('transfer of a risk report between connectors over libp2p', () => {
  const wire = new WireCapture();
  let c: TestConsortium;
  let contract: UsageContract;
  let consentId: string;

  beforeAll(async () => {
    wire.install();
    c = await TestConsortium.open();
    contract = await c.lenderA.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'pre_loan' });
    consentId = await c.grantConsent({ subject: c.subjects[0]!, grantee: LENDER_A, products: [PRODUCTS.score.id] });
  });
  afterAll(async () => {
    wire.uninstall();
    await c?.close();
  });

  it('negotiates a contract both parties see active on the ledger', async () => {
    expect(contract).toMatchObject({ provider: PROVIDER, consumer: LENDER_A, productId: PRODUCTS.score.id, purpose: 'pre_loan', status: 'active' });
    const seenByProvider = await c.provider.ledger.getContract(contract.contractId);
    expect(seenByProvider.status).toBe('active');
    expect(seenByProvider.providerSignature).toMatch(/^0x[0-9a-f]{130}$/);
    expect((await c.lenderA.consumer.negotiation(contract.contractId))?.state).toBe('agreed');
  });

  it('delivers a report whose receipt is signed by the provider and recorded on the ledger once', async () => {
    const subject = c.subjects[0]!;
    const { report, receipt } = await c.lenderA.consumer.requestReport({ contractId: contract.contractId, consentId, subjectToken: subject.token });
    expect(report).toMatchObject({ productId: PRODUCTS.score.id, subjectToken: subject.token, modelVersion: 'sme-scorecard-1.0.0' });
    expect(receipt).toMatchObject({ provider: PROVIDER, consumer: LENDER_A, contractId: contract.contractId, consentId, outputHash: outputHashOf(report) });

    const onLedger = await c.regulator.ledger.getReceipt(receipt.receiptId);
    expect(onLedger).toMatchObject({ outputHash: receipt.outputHash, signature: receipt.signature, txId: receipt.txId });
    expect(await receiptRecords(c, receipt.receiptId)).toBe(1);
    // A third party (here the regulator) verifies the same output against the ledger.
    const verdict = await verifyProvenance(c.regulator.ledger, report as unknown as Record<string, unknown>, receipt);
    expect(verdict).toEqual({ valid: true, checks: { hash: true, signature: true, ledger: true, contract: true, consent: true } });
    // A single changed field breaks it.
    const forged = await verifyProvenance(c.regulator.ledger, { ...report, score: report.score + 1 }, receipt);
    expect(forged.valid).toBe(false);
    expect(forged.checks.hash).toBe(false);
  });

  it('answers a retried request with the first report and receipt, and records no second receipt', async () => {
    const input = { contractId: contract.contractId, consentId, subjectToken: c.subjects[0]!.token, requestId: 'req-retry-1' };
    const first = await c.lenderA.consumer.requestReport(input);
    const again = await c.lenderA.consumer.requestReport(input);
    expect(again).toEqual(first);
    expect(await receiptRecords(c, first.receipt.receiptId)).toBe(1);
    const uses = await c.provider.store.usage.get(contract.contractId);
    expect(uses?.count).toBe(2); // this test's request and the previous test's: the retry is not a use
  });

  it('refuses a request id reused for another request', async () => {
    const input = { contractId: contract.contractId, consentId, subjectToken: c.subjects[0]!.token, requestId: 'req-reused' };
    await c.lenderA.consumer.requestReport(input);
    const consent1 = await c.grantConsent({ subject: c.subjects[1]!, grantee: LENDER_A, products: [PRODUCTS.score.id] });
    await expect(
      c.lenderA.consumer.requestReport({ ...input, consentId: consent1, subjectToken: c.subjects[1]!.token }),
    ).rejects.toMatchObject({ name: 'ExchangeError', code: 'CONN_REQUEST_CONFLICT' });
  });

  it('sends no raw value of any enterprise over the wire, and writes none to the ledger', async () => {
    const fromProvider = wire.text(Protocols.TRANSFER, 'inbound');
    const receipts = await auditRecords(c, 'receipt_recorded');
    expect(receipts.length).toBeGreaterThanOrEqual(3);
    // The capture does see the outputs (so the absence below means something).
    expect(fromProvider).toContain('"score":');
    expect(fromProvider).toContain(receipts[0]!['receiptId']);

    const everything = wire.text();
    const ledgerText = JSON.stringify(await auditRecords(c, 'consent_granted')) + JSON.stringify(receipts);
    for (const subject of c.subjects) {
      if (!subject.record) continue;
      for (const value of rawValuesOf(subject.record)) {
        expect(everything).not.toContain(value);
        expect(ledgerText).not.toContain(value);
      }
    }
  });
});
