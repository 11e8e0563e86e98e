/**
 * Issue 10, item 2: a revocation stops transfers through either path on its own — the
 * revocation follower (chaincode events) and the ledger's consent check at release — and the
 * follower survives a failing event stream (supervised, logged, its lag measured).
 *
 * Each path is tested with the OTHER one disabled through the provider's ledger client:
 * - "follower alone": the provider's `consents:Check` always answers valid (a ledger view
 *   that has not seen the revocation);
 * - "ledger alone": the provider's event stream never yields (a follower that sees nothing).
 * The retried request is used because its receipt is already on the ledger: no other check
 * (the chaincode's, at receipts:Record) stands between the provider and the release.
 */
import type { UsageContract } from '@xinlian/chaincode';
import { LedgerError } from '@xinlian/network';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Connector } from '../../src/connector.js';
import { LENDER_A, PRODUCTS, PROVIDER, TestConsortium } from './support/consortium.js';
import { brokenStream, Faults, faultyClient, silentStream } from './support/faults.js';

const ALWAYS_VALID = () => JSON.stringify({ valid: true });

describe('revocation stops a transfer through each path on its own', () => {
  let c: TestConsortium;
  let contract: UsageContract;
  const faults = new Faults();
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });

  beforeAll(async () => {
    c = await TestConsortium.open();
    contract = await c.lenderA.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'pre_loan' });
  });
  afterAll(async () => c?.close());

  /** Restarts the provider with the faults (and a log capture, a short back-off). */
  const restartProvider = (): Promise<Connector> =>
    c.restart(PROVIDER, (_id, client) => faultyClient(client, faults), { logger, followerBackoffMs: { initial: 20, max: 200 } });

  /** A consent, and one delivered report under it with `requestId`. */
  async function delivered(subject: number, requestId: string) {
    const consentId = await c.grantConsent({ subject: c.subjects[subject]!, grantee: LENDER_A, products: [PRODUCTS.score.id] });
    const input = { contractId: contract.contractId, consentId, subjectToken: c.subjects[subject]!.token, requestId };
    await c.lenderA.consumer.requestReport(input);
    return { consentId, input };
  }

  /** Waits until the provider's follower has applied every block. */
  async function followerCaughtUp(): Promise<void> {
    await vi.waitFor(async () => expect((await c.provider.followerStatus()).lagBlocks).toBe(0), { timeout: 10_000, interval: 20 });
  }

  it('the follower alone (ledger check blinded) refuses a retried and a new request', async () => {
    faults.evaluate.set('consents:Check', ALWAYS_VALID);
    faults.events = undefined;
    await restartProvider();
    const { consentId, input } = await delivered(0, 'req-follower-1');
    await c.revokeConsent(c.subjects[0]!, consentId);
    await followerCaughtUp();
    await expect(c.lenderA.consumer.requestReport(input)).rejects.toMatchObject({
      code: 'CONN_CONSENT_INVALID',
      message: expect.stringContaining('CC_CONSENT_REVOKED') as unknown,
    });
    await expect(c.lenderA.consumer.requestReport({ ...input, requestId: 'req-follower-2' })).rejects.toMatchObject({
      code: 'CONN_CONSENT_INVALID',
    });
  });

  it('the ledger check alone (follower blinded) refuses a retried request at once', async () => {
    faults.evaluate.delete('consents:Check');
    faults.events = async () => silentStream();
    await restartProvider();
    const { consentId, input } = await delivered(1, 'req-ledger-1');
    await c.revokeConsent(c.subjects[1]!, consentId);
    expect((await c.provider.followerStatus()).lastEventAt).toBeUndefined(); // it saw nothing since the restart
    await expect(c.lenderA.consumer.requestReport(input)).rejects.toMatchObject({
      code: 'CONN_CONSENT_INVALID',
      message: expect.stringContaining('CC_CONSENT_REVOKED') as unknown,
    });
  });

  it('the follower survives a failing event stream: logged, followed again after a back-off, still stops transfers', async () => {
    faults.evaluate.set('consents:Check', ALWAYS_VALID); // only the follower can stop it
    let opened = 0;
    faults.events = async (options, real) => {
      opened++;
      return opened <= 2 ? brokenStream(new LedgerError('LEDGER_UNAVAILABLE', 'event stream broke')) : real.chaincodeEvents(options);
    };
    logs.length = 0;
    await restartProvider();
    const { consentId, input } = await delivered(2, 'req-supervised-1');
    await c.revokeConsent(c.subjects[2]!, consentId);
    await followerCaughtUp();
    const status = await c.provider.followerStatus();
    expect(status.restarts).toBeGreaterThanOrEqual(2);
    expect(status.following).toBe(true);
    await expect(c.lenderA.consumer.requestReport(input)).rejects.toMatchObject({ code: 'CONN_CONSENT_INVALID' });
    const failures = logs.filter((l) => l['msg'] === 'revocation follower failed, following again');
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatchObject({ institution: PROVIDER, component: 'revocation-follower', code: 'LEDGER_UNAVAILABLE', level: 50 });
    faults.evaluate.delete('consents:Check');
    faults.events = undefined;
  });

  it('the follower survives a failing store write: the revocation is stored on the second try and following goes on', async () => {
    faults.evaluate.set('consents:Check', ALWAYS_VALID); // only the follower can stop it
    logs.length = 0;
    const provider = await restartProvider();
    const meta = provider.store.meta;
    const put = meta.put.bind(meta);
    let failures = 0;
    meta.put = async (key, value, options) => {
      if (key.startsWith('revoked:') && failures++ === 0) throw new Error('injected store failure');
      return put(key, value, options);
    };
    try {
      const { consentId, input } = await delivered(3, 'req-store-fault-1');
      await c.revokeConsent(c.subjects[3]!, consentId);
      await followerCaughtUp();
      await expect(c.lenderA.consumer.requestReport(input)).rejects.toMatchObject({ code: 'CONN_CONSENT_INVALID' });
      expect(failures).toBeGreaterThanOrEqual(2); // failed once, applied on the second try
      expect(await meta.get(`revoked:${consentId}`)).toBe(true); // kept for the next start
      // and it still follows: a later revocation is applied too
      const later = await delivered(0, 'req-store-fault-2');
      await c.revokeConsent(c.subjects[0]!, later.consentId);
      await followerCaughtUp();
      await expect(c.lenderA.consumer.requestReport(later.input)).rejects.toMatchObject({ code: 'CONN_CONSENT_INVALID' });
      expect(logs.some((l) => l['msg'] === 'revocation follower failed, following again' && String((l['err'] as { message?: string })?.message).includes('injected'))).toBe(true);
    } finally {
      meta.put = put;
      faults.evaluate.delete('consents:Check');
    }
  });
});
