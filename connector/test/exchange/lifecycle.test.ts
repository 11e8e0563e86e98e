/**
 * Issue 10, items 6, 8, 9, 15 and 18 (connector side), through the real path: a suspended
 * institution's node starts and re-announces on reinstatement; own-product contracts are
 * refused at once and stuck negotiations end; a suspended provider's products cannot be
 * contracted or used; readiness says what it checks; the outbox writes through the
 * MVCC-retrying submit; the connector logs per institution and part.
 */
import type { UsageContractMessage } from '@xinlian/chaincode';
import { LedgerError, LedgerErrorCode } from '@xinlian/network';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_NEGOTIATION_ATTEMPTS } from '../../src/exchange/consumer.js';
import { contractTerms } from '../../src/exchange/terms.js';
import type { RequestContext } from '../../src/p2p/index.js';
import { auditRecords } from './support/audit.js';
import { LENDER_A, LENDER_B, PRODUCTS, PROVIDER, TestConsortium } from './support/consortium.js';
import { Faults, faultyClient } from './support/faults.js';
import { failure } from './support/failure.js';

describe('membership, negotiations and operations of a connector', () => {
  let c: TestConsortium;
  const faults = new Map<string, Faults>();
  const faultsOf = (id: string): Faults => {
    let f = faults.get(id);
    if (!f) faults.set(id, (f = new Faults()));
    return f;
  };
  const wrap = (id: string, client: Parameters<typeof faultyClient>[0]) => faultyClient(client, faultsOf(id));
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });

  beforeAll(async () => {
    c = await TestConsortium.open({ wrapLedger: wrap });
  });
  afterAll(async () => c?.close());

  /** Writes a negotiation record as an older connector would have left it, `requested`. */
  async function leftRequested(offer: Partial<UsageContractMessage> & { contractId: string }, who = LENDER_A): Promise<void> {
    const product = await c.get(who).ledger.getProduct(offer.productId ?? PRODUCTS.score.id);
    const terms = contractTerms(product.policy);
    const agreement: UsageContractMessage = {
      productId: product.id,
      provider: product.provider,
      consumer: who,
      purpose: 'pre_loan',
      validUntil: Math.floor(Date.now() / 1000) + 3600,
      maxUses: terms.maxUses,
      ratePerMinute: terms.ratePerMinute,
      policyHash: terms.policyHash,
      ...offer,
    };
    await c.get(who).store.negotiations.create(agreement.contractId, 'requested', { agreement, consumerSignature: '0x' + '1'.repeat(130) });
  }

  it('refuses a contract on its own product at once, leaving no negotiation behind (item 15)', async () => {
    const before = await c.provider.store.negotiations.listByState('requested');
    const e = await failure(c.provider.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'pre_loan' }));
    expect(e).toMatchObject({ code: 'CONN_OWN_PRODUCT' });
    expect(await c.provider.store.negotiations.listByState('requested')).toHaveLength(before.length);
  });

  it("the provider refuses an offer naming itself as consumer (item 15)", async () => {
    const product = await c.provider.ledger.getProduct(PRODUCTS.score.id);
    const terms = contractTerms(product.policy);
    const agreement = {
      contractId: 'ctr-self-offer',
      productId: product.id,
      provider: PROVIDER,
      consumer: PROVIDER,
      purpose: 'pre_loan',
      validUntil: Math.floor(Date.now() / 1000) + 3600,
      maxUses: terms.maxUses,
      ratePerMinute: terms.ratePerMinute,
      policyHash: terms.policyHash,
    };
    const ctx = { protocol: 'negotiation', peerId: 'self', institutionId: PROVIDER, envelope: { nonce: 'self-offer-1' }, signal: new AbortController().signal } as unknown as RequestContext;
    const answer = await c.provider.provider.negotiate({ agreement, consumerSignature: '0x' + '1'.repeat(130) }, ctx);
    expect(answer).toMatchObject({ status: 'DENIED', code: 'CONN_OWN_PRODUCT' });
  });

  it('ends stuck negotiations failed with a reason at resume, and never tries them again (item 15)', async () => {
    await leftRequested({ contractId: 'ctr-stuck-own', provider: LENDER_A }); // as if its own product (the old "Can not dial self")
    await leftRequested({ contractId: 'ctr-stuck-expired', validUntil: Math.floor(Date.now() / 1000) - 60 });
    await leftRequested({ contractId: 'ctr-stuck-gone', productId: PRODUCTS.rate.id });
    await c.provider.ledger.delistProduct(PRODUCTS.rate.id);
    const lender = await c.restart(LENDER_A, wrap); // resume() at start
    for (const [id, reason] of [
      ['ctr-stuck-own', /this institution itself/],
      ['ctr-stuck-expired', /expired/],
      ['ctr-stuck-gone', /delisted|inactive|not active/],
    ] as const) {
      const record = await lender.consumer.negotiation(id);
      expect(record?.state, id).toBe('failed');
      expect((record?.data as { reason?: string }).reason).toMatch(reason);
    }
    const submitsBefore = faultsOf(PROVIDER).submitted.length;
    await c.restart(LENDER_A, wrap);
    expect((await c.lenderA.consumer.negotiation('ctr-stuck-own'))?.state).toBe('failed');
    expect(faultsOf(PROVIDER).submitted.length).toBe(submitsBefore); // nothing was offered again
  });

  it(`ends a negotiation failed after ${MAX_NEGOTIATION_ATTEMPTS} attempts to reach an unreachable provider (item 15)`, async () => {
    await leftRequested({ contractId: 'ctr-unreachable' });
    await c.stop(PROVIDER);
    try {
      for (let i = 0; i < MAX_NEGOTIATION_ATTEMPTS; i++) {
        await expect(c.lenderA.consumer.resumeNegotiation('ctr-unreachable')).rejects.toBeTruthy();
      }
      expect((await c.lenderA.consumer.negotiation('ctr-unreachable'))?.state).toBe('requested');
      const e = await failure(c.lenderA.consumer.resumeNegotiation('ctr-unreachable'));
      expect(String(e['message'])).toMatch(/did not agree in 10 attempts/);
      const record = await c.lenderA.consumer.negotiation('ctr-unreachable');
      expect(record?.state).toBe('failed');
    } finally {
      await c.restart(PROVIDER, wrap);
    }
  });

  it("a suspended provider's products can be neither contracted nor used until it is reinstated (item 18)", async () => {
    const contract = await c.lenderB.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'pre_loan' });
    const consentId = await c.grantConsent({ subject: c.subjects[0]!, grantee: LENDER_B, products: [PRODUCTS.score.id] });
    const ask = () => c.lenderB.consumer.requestReport({ contractId: contract.contractId, consentId, subjectToken: c.subjects[0]!.token });
    await ask();
    await c.regulator.ledger.suspend(PROVIDER, 'licence under review');
    try {
      const e = await failure(c.lenderB.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'pre_loan' }));
      expect(e).toMatchObject({ code: 'CONN_PRODUCT_UNAVAILABLE' });
      expect(String(e['message'])).toContain('suspended');
      await expect(ask()).rejects.toBeTruthy();
    } finally {
      await c.regulator.ledger.reinstate(PROVIDER, 'review closed');
    }
    await expect(ask()).resolves.toMatchObject({ report: { productId: PRODUCTS.score.id } });
  });

  it('a suspended institution’s node starts, says why, and announces its endpoint once reinstated (item 6)', async () => {
    await c.stop(LENDER_B);
    await c.regulator.ledger.suspend(LENDER_B, 'licence under review');
    logs.length = 0;
    const lender = await c.create(LENDER_B, wrap, { logger });
    await lender.start(); // UpdateEndpoint is refused: the node starts anyway
    const readiness = await lender.readiness();
    expect(readiness.details.endpoint).toBe('refused');
    expect(logs.some((l) => l['institution'] === LENDER_B && l['code'] === 'CC_INSTITUTION_SUSPENDED' && l['level'] === 40)).toBe(true);
    const announced = (await c.regulator.ledger.getInstitution(LENDER_B)).addresses;
    expect(announced).not.toEqual(lender.endpoint.addresses.map((a) => a.replace(/\/p2p\/.*$/, '')));

    await c.regulator.ledger.reinstate(LENDER_B, 'review closed');
    await vi.waitFor(
      async () => {
        const inst = await c.regulator.ledger.getInstitution(LENDER_B);
        expect(inst.addresses).toEqual(lender.endpoint.addresses.map((a) => a.replace(/\/p2p\/.*$/, '')));
      },
      { timeout: 10_000, interval: 50 },
    );
    expect((await lender.readiness()).details.endpoint).toBe('announced');
    // and the reinstated lender trades again through its new endpoint
    const contract = await lender.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'pre_loan' });
    expect(contract.status).toBe('active');
  });

  it('readiness checks libp2p, the ledger and the outbox (item 8)', async () => {
    const ok = await c.lenderA.readiness();
    expect(ok).toMatchObject({ ready: true, checks: { p2p: true, ledger: true, outbox: true } });
    expect(ok.details.follower.lagBlocks).toBeGreaterThanOrEqual(0);

    faultsOf(LENDER_A).height = () => Promise.reject(new LedgerError('LEDGER_UNAVAILABLE', 'down'));
    try {
      expect(await c.lenderA.readiness()).toMatchObject({ ready: false, checks: { p2p: true, ledger: false, outbox: true } });
    } finally {
      faultsOf(LENDER_A).height = undefined;
    }

    // a refusal the provider cannot record stays pending in its outbox: stalled once it is old
    faultsOf(PROVIDER).submit.set('audit:RecordRefusals', () => new LedgerError('LEDGER_UNAVAILABLE', 'down'));
    try {
      const contract = await c.lenderA.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'pre_loan' });
      await expect(c.lenderA.consumer.requestReport({ contractId: contract.contractId, consentId: 'cst-none', subjectToken: c.subjects[0]!.token })).rejects.toMatchObject({
        code: 'CONN_CONSENT_INVALID',
      });
      expect((await c.provider.readiness()).checks.outbox).toBe(true); // pending, not yet stalled
      c.clock.offsetMs = 2 * 60_000;
      const stalled = await c.provider.readiness();
      expect(stalled).toMatchObject({ ready: false, checks: { outbox: false } });
      expect(stalled.details.outbox?.pending).toBeGreaterThanOrEqual(1);
    } finally {
      c.clock.offsetMs = 0;
      faultsOf(PROVIDER).submit.delete('audit:RecordRefusals');
    }
    await c.provider.writer.drain();
    expect((await c.provider.readiness()).checks.outbox).toBe(true);

    await c.stop(LENDER_A);
    const stopped = await c.create(LENDER_A, wrap); // not started: libp2p does not serve yet
    expect((await stopped.readiness()).checks.p2p).toBe(false);
    await stopped.start();
    expect((await stopped.readiness()).ready).toBe(true);
  });

  it('outbox writes go through the MVCC-retrying submit (item 9)', async () => {
    let conflicts = 1;
    faultsOf(PROVIDER).submit.set('audit:RecordRefusals', () => (conflicts-- > 0 ? new LedgerError(LedgerErrorCode.MVCC_READ_CONFLICT, 'conflict') : undefined));
    try {
      const contract = await c.lenderA.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'pre_loan' });
      const before = (await auditRecords(c, 'denied', LENDER_A)).length;
      await expect(c.lenderA.consumer.requestReport({ contractId: contract.contractId, consentId: 'cst-none-2', subjectToken: c.subjects[0]!.token })).rejects.toMatchObject({
        code: 'CONN_CONSENT_INVALID',
      });
      // recorded at once (the conflict was retried), not left pending for a later drain
      expect(await c.provider.store.outbox.pending(), 'pending outbox writes').toEqual([]);
      expect((await auditRecords(c, 'denied', LENDER_A)).length).toBe(before + 1);
    } finally {
      faultsOf(PROVIDER).submit.delete('audit:RecordRefusals');
    }
  });

  it('logs per institution and part, in JSON (item 8)', async () => {
    logs.length = 0;
    const provider = await c.restart(PROVIDER, wrap, { logger });
    const contract = await c.lenderA.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'pre_loan' });
    await expect(c.lenderA.consumer.requestReport({ contractId: contract.contractId, consentId: 'cst-none-3', subjectToken: c.subjects[0]!.token })).rejects.toBeTruthy();
    expect(provider.logger.bindings()).toMatchObject({ institution: PROVIDER });
    expect(logs.some((l) => l['msg'] === 'connector started' && l['institution'] === PROVIDER)).toBe(true);
    expect(logs.some((l) => l['msg'] === 'refused' && l['component'] === 'provider' && l['requester'] === LENDER_A && l['code'] === 'CONN_CONSENT_INVALID')).toBe(true);
    // a handler failure is logged, not only answered
    faultsOf(PROVIDER).evaluate.set('contracts:Get', () => new LedgerError(LedgerErrorCode.UNAVAILABLE, 'down'));
    try {
      await expect(c.lenderA.consumer.requestReport({ contractId: contract.contractId, consentId: 'cst-none-4', subjectToken: c.subjects[0]!.token })).rejects.toMatchObject({
        remote: { code: 'LEDGER_UNAVAILABLE' },
      });
    } finally {
      faultsOf(PROVIDER).evaluate.delete('contracts:Get');
    }
    expect(logs.some((l) => l['component'] === 'p2p' && l['institution'] === PROVIDER && l['code'] === 'LEDGER_UNAVAILABLE' && l['requester'] === LENDER_A)).toBe(true);
  });

  it('exposes the chain through typed pass-throughs (no raw client needed)', async () => {
    const height = await c.regulator.ledger.height();
    expect(height).toBeGreaterThan(1);
    const [denied] = await auditRecords(c, 'denied');
    expect(await c.regulator.ledger.transactionBlock(denied!.txId)).toBeGreaterThan(0);
    expect(await c.regulator.ledger.transactionBlock('nope')).toBeUndefined();
    expect(await c.regulator.ledger.checkIntegrity({ deep: true })).toMatchObject({ ok: true, deep: { ok: true } });
  });
});
