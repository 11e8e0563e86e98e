/**
 * Issue 10, item 6 (connector side): a suspension pauses an institution's outbox instead of
 * turning its pending writes into final refusals, and its reinstatement finishes them — a
 * release decided before the suspension is recorded and delivered once, afterwards.
 */
import type { UsageContract } from '@xinlian/chaincode';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditRecords, receiptRecords } from './support/audit.js';
import { LENDER_A, PRODUCTS, PROVIDER, TestConsortium } from './support/consortium.js';
import { gatedClient, SubmitGate } from './support/gated-ledger.js';

describe("a suspended provider's outbox waits for its reinstatement", () => {
  let c: TestConsortium;
  let contract: UsageContract;

  beforeAll(async () => {
    c = await TestConsortium.open();
    contract = await c.lenderA.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'pre_loan' });
  });
  afterAll(async () => c?.close());

  /** A report request decided by the provider whose receipt submit is held at the gate. */
  async function heldAtReceipt(subject: number, requestId: string) {
    const consentId = await c.grantConsent({ subject: c.subjects[subject]!, grantee: LENDER_A, products: [PRODUCTS.score.id] });
    const input = { contractId: contract.contractId, consentId, subjectToken: c.subjects[subject]!.token, requestId };
    const gate = new SubmitGate();
    await c.restart(PROVIDER, (_id, client) => gatedClient(client, gate));
    gate.hold('receipts:Record');
    const asking = c.lenderA.consumer.requestReport(input);
    asking.catch(() => undefined);
    await gate.arrived();
    const [persisted] = await c.provider.store.transfers.listByState('receipt_pending');
    const receiptId = (persisted!.data as { receipt: { receiptId: string } }).receipt.receiptId;
    return { input, gate, asking, receiptId };
  }

  const receiptDenials = async () =>
    (await auditRecords(c, 'denied', PROVIDER)).filter((r) => r['action'] === 'receipts:Record' && r['code'] === 'CC_INSTITUTION_SUSPENDED').length;

  it('keeps a receipt pending through a suspension that came while it was submitted, and records it after the reinstatement', async () => {
    const { input, gate, asking, receiptId } = await heldAtReceipt(0, 'req-suspended-inflight');
    await c.regulator.ledger.suspend(PROVIDER, 'licence under review');
    gate.release(); // the submit reaches the ledger after the suspension: refused
    await expect(asking).rejects.toBeTruthy();
    expect(await receiptDenials()).toBe(1);
    expect(c.provider.writer.paused).toBe(true);
    expect((await c.provider.store.outbox.pending()).map((e) => e.id)).toContain(`receipt:${LENDER_A}:req-suspended-inflight`);

    await c.regulator.ledger.reinstate(PROVIDER, 'review closed');
    await vi.waitFor(async () => expect(await receiptRecords(c, receiptId)).toBe(1), { timeout: 10_000, interval: 50 });
    const delivered = await c.lenderA.consumer.requestReport(input);
    expect(delivered.receipt.receiptId).toBe(receiptId);
    expect(await receiptDenials()).toBe(1); // no retry while suspended
  });

  it('starts suspended without submitting its pending writes, and submits them once reinstated', async () => {
    const { input, gate, asking, receiptId } = await heldAtReceipt(1, 'req-suspended-restart');
    await c.stop(PROVIDER);
    gate.crash();
    await expect(asking).rejects.toBeTruthy();
    const denialsBefore = await receiptDenials();
    await c.regulator.ledger.suspend(PROVIDER, 'licence under review');
    const provider = await c.create(PROVIDER);
    await provider.start(); // item 6: starts although suspended
    expect(provider.writer.paused).toBe(true);
    expect((await provider.store.outbox.pending()).map((e) => e.id)).toContain(`receipt:${LENDER_A}:req-suspended-restart`);
    expect(await receiptDenials()).toBe(denialsBefore); // nothing was submitted only to be refused

    await c.regulator.ledger.reinstate(PROVIDER, 'review closed');
    await vi.waitFor(async () => expect(await receiptRecords(c, receiptId)).toBe(1), { timeout: 10_000, interval: 50 });
    expect(provider.writer.paused).toBe(false);
    const delivered = await c.lenderA.consumer.requestReport(input);
    expect(delivered.receipt.receiptId).toBe(receiptId);
  });
});
