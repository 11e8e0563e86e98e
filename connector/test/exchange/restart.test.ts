import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRecords, receiptRecords } from './support/audit.js';
import { LENDER_A, PRODUCTS, PROVIDER, TestConsortium } from './support/consortium.js';
import { gatedClient, SubmitGate } from './support/gated-ledger.js';

/** Restarts `id` with its submits of `name` held, so the next one can be "crashed". */
async function withHeldSubmits(c: TestConsortium, id: string, name: string): Promise<SubmitGate> {
  const gate = new SubmitGate();
  await c.restart(id, (_id, client) => gatedClient(client, gate));
  gate.hold(name);
  return gate;
}

describe('a restart in the middle of an exchange loses nothing and duplicates nothing', () => {
  let c: TestConsortium;

  beforeAll(async () => {
    c = await TestConsortium.open();
  });
  afterAll(async () => c?.close());

  it('finishes a negotiation when the provider crashed before recording the contract', async () => {
    const gate = await withHeldSubmits(c, PROVIDER, 'contracts:Agree');
    const negotiating = c.lenderA.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'pre_loan' });
    negotiating.catch(() => undefined);
    await gate.arrived();
    await c.stop(PROVIDER); // the countersigned agreement is in its outbox, not on the ledger
    gate.crash();
    await expect(negotiating).rejects.toBeTruthy();
    const [pending] = await c.lenderA.store.negotiations.listByState('requested');
    expect(pending).toBeDefined();

    await c.restart(PROVIDER); // drains its outbox at start
    const contract = await c.lenderA.consumer.resumeNegotiation(pending!.id);
    expect(contract.status).toBe('active');
    expect((await c.provider.ledger.getContract(pending!.id)).status).toBe('active');
    expect((await c.lenderA.consumer.negotiation(pending!.id))?.state).toBe('agreed');
    const agreed = (await auditRecords(c, 'contract_agreed')).filter((r) => r['contractId'] === pending!.id);
    expect(agreed).toHaveLength(1);
  });

  it('finishes a negotiation when the consumer restarted while it was in flight', async () => {
    const gate = await withHeldSubmits(c, PROVIDER, 'contracts:Agree');
    const negotiating = c.lenderA.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'in_loan' });
    negotiating.catch(() => undefined);
    await gate.arrived();
    const [pending] = await c.lenderA.store.negotiations.listByState('requested');
    await c.stop(LENDER_A);
    await expect(negotiating).rejects.toBeTruthy();
    gate.crash(); // the provider "crashes" too: only its outbox remembers the agreement
    await c.restart(PROVIDER);
    const lender = await c.restart(LENDER_A); // resumes requested negotiations at start
    expect((await lender.consumer.negotiation(pending!.id))?.state).toBe('agreed');
    expect((await lender.ledger.getContract(pending!.id)).status).toBe('active');
  });

  it('delivers the first receipt, once, when the provider crashed between persisting a transfer and recording it', async () => {
    const contract = await c.lenderA.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'pre_loan' });
    const consentId = await c.grantConsent({ subject: c.subjects[0]!, grantee: LENDER_A, products: [PRODUCTS.score.id] });
    const input = { contractId: contract.contractId, consentId, subjectToken: c.subjects[0]!.token, requestId: 'req-crash-1' };

    const gate = await withHeldSubmits(c, PROVIDER, 'receipts:Record');
    const asking = c.lenderA.consumer.requestReport(input);
    asking.catch(() => undefined);
    await gate.arrived();
    const [persisted] = await c.provider.store.transfers.listByState('receipt_pending');
    expect(persisted?.id).toBe(`${LENDER_A}:req-crash-1`);
    await c.stop(PROVIDER);
    gate.crash();
    await expect(asking).rejects.toBeTruthy();

    await c.restart(PROVIDER);
    const first = await c.lenderA.consumer.requestReport(input);
    const again = await c.lenderA.consumer.requestReport(input);
    expect(again).toEqual(first);
    const persistedReceipt = (persisted!.data as { receipt: { receiptId: string } }).receipt;
    expect(first.receipt.receiptId).toBe(persistedReceipt.receiptId);
    expect(await receiptRecords(c, first.receipt.receiptId)).toBe(1);
    const forContract = (await auditRecords(c, 'receipt_recorded')).filter((r) => r['contractId'] === contract.contractId);
    expect(forContract).toHaveLength(1);
    expect((await c.provider.store.transfers.get(persisted!.id))?.state).toBe('delivered');
    expect((await c.provider.store.usage.get(contract.contractId))?.count).toBe(1);
  });

  it('keeps following revocations across a restart of the provider', async () => {
    const contract = await c.lenderA.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'pre_loan' });
    const consentId = await c.grantConsent({ subject: c.subjects[1]!, grantee: LENDER_A, products: [PRODUCTS.score.id] });
    await c.stop(PROVIDER);
    await c.revokeConsent(c.subjects[1]!, consentId); // while the provider is down
    await c.restart(PROVIDER);
    await expect(
      c.lenderA.consumer.requestReport({ contractId: contract.contractId, consentId, subjectToken: c.subjects[1]!.token }),
    ).rejects.toMatchObject({ code: 'CONN_CONSENT_INVALID' });
  });
});
