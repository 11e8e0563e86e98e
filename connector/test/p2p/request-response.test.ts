import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  denied,
  failed,
  isP2PError,
  notFound,
  ok,
  P2PErrorCode,
  protocolId,
  Protocols,
  recoverEnvelopeSigner,
  type HandlerResult,
  type P2PError,
  type RequestContext,
} from '../../src/p2p/index.js';
import { startPeer, stopPeer, type PeerDirectory, type TestPeer } from './fixtures.js';

const ECHO = protocolId('test-echo');
const RULES = protocolId('test-rules');

async function failure(promise: Promise<unknown>): Promise<P2PError> {
  try {
    await promise;
  } catch (e) {
    if (isP2PError(e)) return e;
    throw e;
  }
  throw new Error('expected the request to fail');
}

describe('RequestResponseService between real libp2p nodes', () => {
  const directory: PeerDirectory = new Map();
  let provider: TestPeer;
  let consumer: TestPeer;
  let outsider: TestPeer;
  const seen: RequestContext[] = [];

  beforeAll(async () => {
    provider = await startPeer({ institutionId: 'inst-provider', directory });
    consumer = await startPeer({ institutionId: 'inst-consumer', directory });
    outsider = await startPeer({ institutionId: 'inst-outsider', directory, register: false });
    await provider.rr.handle(ECHO, async (body, ctx) => {
      seen.push(ctx);
      return ok({ echo: body ?? null, caller: ctx.institutionId });
    });
    await provider.rr.handle(RULES, async (body) => {
      switch ((body as { ask?: string } | undefined)?.ask) {
        case 'deny':
          return denied('POLICY_PURPOSE', 'purpose post-loan is not allowed', 'rule-purpose-1');
        case 'missing':
          return notFound('PRODUCT_NOT_FOUND', 'no product p-9');
        case 'fail':
          return failed('MODEL_FAILED', 'model crashed');
        case 'invalid-code':
          return denied('not a code', 'x');
        case 'not-a-result':
          return 42 as unknown as HandlerResult;
        case 'throw-coded':
          throw Object.assign(new Error('[CC_CONSENT_REVOKED] consent c-1 revoked'), { code: 'CC_CONSENT_REVOKED' });
        default:
          throw new Error('secret internal detail');
      }
    });
    for (const peer of [consumer, outsider]) await peer.rr.handle(ECHO, async (body) => ok(body ?? null));
  });

  afterAll(async () => {
    await Promise.all([stopPeer(provider), stopPeer(consumer), stopPeer(outsider)]);
  });

  it('delivers a request and returns the verified, provider-signed response', async () => {
    const reply = await consumer.rr.exchange(provider.node.getMultiaddrs(), ECHO, { q: ['a', 1, true] });
    expect(reply.body).toEqual({ echo: { q: ['a', 1, true] }, caller: 'inst-consumer' });
    expect(reply.institutionId).toBe('inst-provider');
    expect(reply.peerId).toBe(provider.peerId);
    expect(recoverEnvelopeSigner(reply.envelope)).toBe(provider.wallet.address);
    expect(reply.envelope).toMatchObject({ kind: 'response', status: 'OK', from: 'inst-provider', to: 'inst-consumer' });
    const ctx = seen.at(-1)!;
    expect(ctx).toMatchObject({ protocol: ECHO, peerId: consumer.peerId, institutionId: 'inst-consumer' });
    expect(reply.envelope.inReplyTo).toBe(ctx.envelope.nonce);
  });

  it('reuses the open connection and opens a new stream per request', async () => {
    const target = provider.node.peerId;
    const bodies = await Promise.all([1, 2, 3].map((n) => consumer.rr.request(target, ECHO, n)));
    expect(bodies).toEqual([1, 2, 3].map((n) => ({ echo: n, caller: 'inst-consumer' })));
    expect(consumer.node.getConnections(provider.node.peerId)).toHaveLength(1);
  });

  it('works in both directions and without a body', async () => {
    expect(await provider.rr.request(consumer.node.getMultiaddrs(), ECHO)).toBeNull();
  });

  it('carries a handler denial with its code, message and rule', async () => {
    const e = await failure(consumer.rr.request(provider.node.getMultiaddrs(), RULES, { ask: 'deny' }));
    expect(e.code).toBe(P2PErrorCode.REMOTE_DENIED);
    expect(e.remote).toEqual({
      status: 'DENIED',
      code: 'POLICY_PURPOSE',
      message: 'purpose post-loan is not allowed',
      rule: 'rule-purpose-1',
      institutionId: 'inst-provider',
    });
  });

  it('maps NOT_FOUND and ERROR answers to their codes', async () => {
    const missing = await failure(consumer.rr.request(provider.node.getMultiaddrs(), RULES, { ask: 'missing' }));
    expect(missing.code).toBe(P2PErrorCode.REMOTE_NOT_FOUND);
    expect(missing.remote).toMatchObject({ status: 'NOT_FOUND', code: 'PRODUCT_NOT_FOUND' });
    const crashed = await failure(consumer.rr.request(provider.node.getMultiaddrs(), RULES, { ask: 'fail' }));
    expect(crashed.code).toBe(P2PErrorCode.REMOTE_ERROR);
    expect(crashed.remote).toMatchObject({ status: 'ERROR', code: 'MODEL_FAILED', message: 'model crashed' });
  });

  it('passes a thrown coded error on and hides an uncoded one', async () => {
    const coded = await failure(consumer.rr.request(provider.node.getMultiaddrs(), RULES, { ask: 'throw-coded' }));
    expect(coded.remote).toMatchObject({ status: 'ERROR', code: 'CC_CONSENT_REVOKED' });
    const hidden = await failure(consumer.rr.request(provider.node.getMultiaddrs(), RULES, { ask: 'boom' }));
    expect(hidden.code).toBe(P2PErrorCode.REMOTE_ERROR);
    expect(hidden.remote).toMatchObject({ code: 'CONN_HANDLER_FAILED', message: 'the handler failed' });
    expect(hidden.message).not.toContain('secret');
  });

  it('answers CONN_HANDLER_FAILED when a handler returns something the wire cannot carry', async () => {
    for (const ask of ['invalid-code', 'not-a-result']) {
      const e = await failure(consumer.rr.request(provider.node.getMultiaddrs(), RULES, { ask }));
      expect({ ask, code: e.code, remote: e.remote?.code }).toEqual({ ask, code: P2PErrorCode.REMOTE_ERROR, remote: 'CONN_HANDLER_FAILED' });
    }
  });

  it('answers requests in flight with CONN_UNAVAILABLE when the service stops', async () => {
    const stopping = await startPeer({ institutionId: 'inst-stopping', directory });
    let entered!: () => void;
    const handlerEntered = new Promise<void>((resolve) => (entered = resolve));
    await stopping.rr.handle(ECHO, () => {
      entered();
      return new Promise(() => undefined);
    });
    try {
      const pending = failure(consumer.rr.request(stopping.node.getMultiaddrs(), ECHO, 1));
      await handlerEntered;
      await stopping.rr.stop();
      const e = await pending;
      expect(e.code).toBe(P2PErrorCode.UNAVAILABLE);
      expect(e.remote).toMatchObject({ status: 'ERROR', message: 'service is stopping', institutionId: 'inst-stopping' });
      expect((await failure(consumer.rr.request(stopping.node.getMultiaddrs(), ECHO, 1))).code).toBe(P2PErrorCode.PROTOCOL_UNSUPPORTED);
    } finally {
      directory.delete(stopping.peerId);
      await stopPeer(stopping);
    }
  });

  it('refuses to serve a peer that is not an active institution on the ledger', async () => {
    const before = seen.length;
    // The outsider knows the provider, but the provider's ledger does not know the outsider.
    const outsiderView = await startPeer({ institutionId: 'inst-outsider-2', directory: new Map(directory), register: false });
    try {
      const e = await failure(outsiderView.rr.request(provider.node.getMultiaddrs(), ECHO, 'hi'));
      expect(e.code).toBe(P2PErrorCode.PEER_UNAUTHORIZED);
      expect(e.remote).toMatchObject({ status: 'DENIED', code: P2PErrorCode.PEER_UNAUTHORIZED, institutionId: 'inst-provider' });
      expect(seen.length).toBe(before);
    } finally {
      await stopPeer(outsiderView);
    }
  });

  it('does not send a request to a peer that is not an active institution', async () => {
    const e = await failure(consumer.rr.request(outsider.node.getMultiaddrs(), ECHO, 'secret question'));
    expect(e.code).toBe(P2PErrorCode.PEER_UNAUTHORIZED);
    expect(e.remote).toBeUndefined();
    expect(e.peerId).toBe(outsider.peerId);
  });

  it('refuses a peer that belongs to another institution than expected', async () => {
    const e = await failure(consumer.rr.request(provider.node.getMultiaddrs(), ECHO, 1, { expectInstitution: 'inst-bank' }));
    expect(e.code).toBe(P2PErrorCode.PEER_UNAUTHORIZED);
    await expect(consumer.rr.request(provider.node.getMultiaddrs(), ECHO, 1, { expectInstitution: 'inst-provider' })).resolves.toBeDefined();
  });

  it('stops serving a peer once the ledger no longer lists it as active', async () => {
    const entry = directory.get(consumer.peerId)!;
    directory.delete(consumer.peerId);
    try {
      const e = await failure(consumer.rr.request(provider.node.getMultiaddrs(), ECHO, 1));
      expect(e.code).toBe(P2PErrorCode.PEER_UNAUTHORIZED);
      expect(e.remote?.code).toBe(P2PErrorCode.PEER_UNAUTHORIZED);
    } finally {
      directory.set(consumer.peerId, entry);
    }
  });

  it('reports a protocol the peer does not serve', async () => {
    const e = await failure(consumer.rr.request(provider.node.getMultiaddrs(), Protocols.TRANSFER, {}));
    expect(e.code).toBe(P2PErrorCode.PROTOCOL_UNSUPPORTED);
  });

  it('reports an unreachable peer and a bad address', async () => {
    const closed = await startPeer({ institutionId: 'inst-gone', directory });
    const addresses = closed.node.getMultiaddrs();
    await stopPeer(closed);
    expect((await failure(consumer.rr.request(addresses, ECHO, 1))).code).toBe(P2PErrorCode.PEER_UNREACHABLE);
    expect((await failure(consumer.rr.request('not-a-multiaddr', ECHO, 1))).code).toBe(P2PErrorCode.PEER_UNREACHABLE);
  });

  it("fails with CONN_ABORTED when the caller's signal aborts", async () => {
    const controller = new AbortController();
    controller.abort();
    const e = await failure(consumer.rr.request(provider.node.getMultiaddrs(), ECHO, 1, { signal: controller.signal }));
    expect(e.code).toBe(P2PErrorCode.ABORTED);
  });

  it('fails with CONN_UNAVAILABLE when the ledger cannot be asked, here or at the peer', async () => {
    const ledgerDown = await startPeer({
      institutionId: 'inst-ledger-down',
      directory,
      authorize: () => Promise.reject(new Error('ledger down')),
    });
    await ledgerDown.rr.handle(ECHO, async (body) => ok(body ?? null));
    try {
      const local = await failure(ledgerDown.rr.request(provider.node.getMultiaddrs(), ECHO, 1));
      expect(local.code).toBe(P2PErrorCode.UNAVAILABLE);
      expect(local.remote).toBeUndefined();
      const remote = await failure(consumer.rr.request(ledgerDown.node.getMultiaddrs(), ECHO, 1));
      expect(remote.code).toBe(P2PErrorCode.UNAVAILABLE);
      expect(remote.remote).toMatchObject({ status: 'ERROR', code: P2PErrorCode.UNAVAILABLE, institutionId: 'inst-ledger-down' });
    } finally {
      directory.delete(ledgerDown.peerId);
      await stopPeer(ledgerDown);
    }
  });

  it('refuses to request before start', async () => {
    await consumer.rr.stop();
    try {
      expect((await failure(consumer.rr.request(provider.node.getMultiaddrs(), ECHO, 1))).code).toBe(P2PErrorCode.NOT_READY);
    } finally {
      await consumer.rr.start();
    }
    await expect(consumer.rr.request(provider.node.getMultiaddrs(), ECHO, 1)).resolves.toBeDefined();
  });
});

describe('RequestResponseService under a burst', () => {
  it('answers 100 concurrent requests opened at once on a fresh connection', async () => {
    const directory: PeerDirectory = new Map();
    const provider = await startPeer({ institutionId: 'burst-provider', directory });
    const consumer = await startPeer({ institutionId: 'burst-consumer', directory });
    try {
      await provider.rr.handle(ECHO, async (body) => ok(body ?? null));
      const replies = await Promise.all(
        Array.from({ length: 100 }, (_, i) => consumer.rr.request(provider.node.getMultiaddrs(), ECHO, { i })),
      );
      expect(replies).toEqual(Array.from({ length: 100 }, (_, i) => ({ i })));
    } finally {
      await Promise.all([stopPeer(provider), stopPeer(consumer)]);
    }
  });
});
