import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, P2PErrorCode, protocolId, recoverEnvelopeSigner, type SignedEnvelope } from '../../src/p2p/index.js';
import { rawEnvelope, signedRequest, startPeer, stopPeer, type PeerDirectory, type TestPeer } from './fixtures.js';

const COUNT = protocolId('test-count');

/** A refusal the provider signed, addressed back to the requester. */
function expectRefusal(response: SignedEnvelope | undefined, provider: TestPeer, status: string, code: string): void {
  expect(response).toBeDefined();
  expect(recoverEnvelopeSigner(response!)).toBe(provider.wallet.address);
  expect(response).toMatchObject({ kind: 'response', from: provider.institutionId, status, error: { code } });
  expect(response!.body).toBeUndefined();
}

describe('a provider refuses envelopes that are not fresh, authentic and its own', () => {
  const directory: PeerDirectory = new Map();
  let provider: TestPeer;
  let consumer: TestPeer;
  let other: TestPeer;
  let served = 0;

  beforeAll(async () => {
    provider = await startPeer({ institutionId: 'inst-provider', directory });
    consumer = await startPeer({ institutionId: 'inst-consumer', directory });
    other = await startPeer({ institutionId: 'inst-other', directory });
    await provider.rr.handle(COUNT, async () => ok({ served: ++served }));
  });

  afterAll(async () => {
    await Promise.all([stopPeer(provider), stopPeer(consumer), stopPeer(other)]);
  });

  it('serves a well-formed envelope sent raw (the baseline for the refusals below)', async () => {
    const request = await signedRequest(consumer, provider, COUNT, { n: 1 });
    const response = await rawEnvelope(consumer, provider, request);
    expect(response).toMatchObject({ status: 'OK', to: 'inst-consumer', inReplyTo: request.nonce });
  });

  it('refuses a replayed envelope and runs the handler once', async () => {
    const request = await signedRequest(consumer, provider, COUNT, { n: 2 });
    const before = served;
    expect(await rawEnvelope(consumer, provider, request)).toMatchObject({ status: 'OK' });
    const replay = await rawEnvelope(consumer, provider, request);
    expectRefusal(replay, provider, 'DENIED', P2PErrorCode.REPLAY);
    expect(replay).toMatchObject({ to: 'inst-consumer', inReplyTo: request.nonce });
    expect(served).toBe(before + 1);
  });

  it('refuses an expired envelope', async () => {
    const request = await signedRequest(consumer, provider, COUNT, {}, { now: Date.now() - 60_000, ttlMs: 1_000 });
    expectRefusal(await rawEnvelope(consumer, provider, request), provider, 'DENIED', P2PErrorCode.EXPIRED);
  });

  it('refuses an envelope issued in the future or living longer than allowed', async () => {
    const future = await signedRequest(consumer, provider, COUNT, {}, { now: Date.now() + 10 * 60_000 });
    expectRefusal(await rawEnvelope(consumer, provider, future), provider, 'DENIED', P2PErrorCode.EXPIRED);
    const forever = await signedRequest(consumer, provider, COUNT, {}, { ttlMs: 24 * 3_600_000 });
    expectRefusal(await rawEnvelope(consumer, provider, forever), provider, 'DENIED', P2PErrorCode.EXPIRED);
  });

  it("refuses an envelope signed by a key that is not the institution's signer", async () => {
    const stranger = new Wallet(Wallet.createRandom().privateKey);
    const request = await signedRequest(consumer, provider, COUNT, {}, {}, stranger);
    expectRefusal(await rawEnvelope(consumer, provider, request), provider, 'DENIED', P2PErrorCode.BAD_SIGNATURE);
  });

  it('refuses an envelope altered after signing', async () => {
    const signed = await signedRequest(consumer, provider, COUNT, { amount: 100 });
    const tampered = { ...signed, body: { amount: 1_000_000 } };
    expectRefusal(await rawEnvelope(consumer, provider, tampered), provider, 'DENIED', P2PErrorCode.BAD_SIGNATURE);
  });

  it("refuses an envelope claiming another institution than the peer's", async () => {
    // Signed correctly by the other institution's key, but sent over the consumer's connection.
    const request = await signedRequest(other, provider, COUNT, {});
    expectRefusal(await rawEnvelope(consumer, provider, request), provider, 'DENIED', P2PErrorCode.PEER_UNAUTHORIZED);
  });

  it('refuses an envelope addressed to another institution or meant for another protocol', async () => {
    const misdirected = await signedRequest(consumer, other, COUNT, {});
    expectRefusal(await rawEnvelope(consumer, provider, misdirected), provider, 'ERROR', P2PErrorCode.BAD_MESSAGE);
    const forCatalog = await signedRequest(consumer, provider, protocolId('catalog'), {});
    expectRefusal(await rawEnvelope(consumer, provider, forCatalog, COUNT), provider, 'ERROR', P2PErrorCode.BAD_MESSAGE);
  });

  it('refuses a response envelope sent as a request', async () => {
    const request = await signedRequest(consumer, provider, COUNT, undefined, { kind: 'response', status: 'OK' });
    expectRefusal(await rawEnvelope(consumer, provider, request), provider, 'ERROR', P2PErrorCode.BAD_MESSAGE);
  });

  it('maps a remote refusal to the same code at the requester', async () => {
    const entry = directory.get(consumer.peerId)!;
    directory.set(consumer.peerId, { ...entry, signerAddress: other.wallet.address });
    try {
      await expect(consumer.rr.request(provider.node.getMultiaddrs(), COUNT)).rejects.toMatchObject({
        code: P2PErrorCode.BAD_SIGNATURE,
        remote: { status: 'DENIED', code: P2PErrorCode.BAD_SIGNATURE, institutionId: 'inst-provider' },
      });
    } finally {
      directory.set(consumer.peerId, entry);
    }
  });
});
