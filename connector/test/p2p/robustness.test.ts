import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { lpStream } from '@libp2p/utils';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeEnvelope,
  encodeEnvelope,
  isP2PError,
  newEnvelope,
  ok,
  P2PErrorCode,
  protocolId,
  signEnvelope,
  type P2PError,
  type SignedEnvelope,
} from '../../src/p2p/index.js';
import { frame, rawEnvelope, rawExchange, signedRequest, startPeer, stopPeer, type PeerDirectory, type TestPeer } from './fixtures.js';

const ECHO = protocolId('test-echo');
const HANG = protocolId('test-hang');
const BIG = protocolId('test-big');
const EVIL = protocolId('test-evil');
const LIMIT = 64 * 1024;

async function failure(promise: Promise<unknown>): Promise<P2PError> {
  try {
    await promise;
  } catch (e) {
    if (isP2PError(e)) return e;
    throw e;
  }
  throw new Error('expected the request to fail');
}

type EvilMode = 'stranger-key' | 'other-nonce' | 'garbage' | 'silent' | 'huge';

describe('a node under bad input keeps serving', () => {
  const directory: PeerDirectory = new Map();
  let provider: TestPeer;
  let consumer: TestPeer;
  let mallory: TestPeer;
  let mode: EvilMode = 'garbage';
  let echoes = 0;

  beforeAll(async () => {
    const init = { maxMessageBytes: LIMIT, handlerTimeoutMs: 500, readTimeoutMs: 1_000 };
    provider = await startPeer({ institutionId: 'inst-provider', directory, init });
    consumer = await startPeer({ institutionId: 'inst-consumer', directory, init });
    mallory = await startPeer({ institutionId: 'inst-mallory', directory });
    await provider.rr.handle(ECHO, async (body) => {
      echoes++;
      return ok(body ?? null);
    });
    await provider.rr.handle(HANG, () => new Promise(() => undefined));
    await provider.rr.handle(BIG, async () => ok('x'.repeat(LIMIT)));
    await mallory.node.handle(EVIL, async (stream) => {
      const lp = lpStream(stream);
      const request = decodeEnvelope((await lp.read()).subarray());
      const reply = async (overrides: Partial<SignedEnvelope>, signer = mallory.wallet): Promise<Uint8Array> => {
        const envelope = newEnvelope({ kind: 'response', protocol: EVIL, from: 'inst-mallory', to: request.from, inReplyTo: request.nonce, status: 'OK', body: 'trust me' });
        return encodeEnvelope(await signEnvelope({ ...envelope, ...overrides }, signer));
      };
      if (mode === 'silent') return;
      const bytes =
        mode === 'stranger-key'
          ? await reply({}, new Wallet(Wallet.createRandom().privateKey))
          : mode === 'other-nonce'
            ? await reply({ inReplyTo: `0x${'ab'.repeat(32)}` })
            : mode === 'huge'
              ? await reply({ body: 'y'.repeat(LIMIT * 2) })
              : new TextEncoder().encode('{"not":"an envelope"}');
      await lp.write(bytes);
      await stream.close();
    });
  });

  afterAll(async () => {
    await Promise.all([stopPeer(provider), stopPeer(consumer), stopPeer(mallory)]);
  });

  async function stillServes(): Promise<void> {
    const n = randomBytes(4).toString('hex');
    await expect(consumer.rr.request(provider.node.getMultiaddrs(), ECHO, { n })).resolves.toEqual({ n });
  }

  it('answers an oversized message with a signed CONN_TOO_LARGE error', async () => {
    const request = await signedRequest(consumer, provider, ECHO, { pad: 'z'.repeat(LIMIT) });
    const response = await rawEnvelope(consumer, provider, request);
    expect(response).toMatchObject({ status: 'ERROR', from: 'inst-provider', error: { code: P2PErrorCode.TOO_LARGE } });
    const lying = Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x04, 1, 2, 3]); // announces 1 GiB
    expect(await rawExchange(consumer.node, provider, ECHO, lying)).toMatchObject({ error: { code: P2PErrorCode.TOO_LARGE } });
    await stillServes();
  });

  it('refuses to send an oversized request, and reports an oversized answer', async () => {
    const before = echoes;
    const local = await failure(consumer.rr.request(provider.node.getMultiaddrs(), ECHO, 'q'.repeat(LIMIT + 1)));
    expect(local.code).toBe(P2PErrorCode.TOO_LARGE);
    expect(local.remote).toBeUndefined();
    expect(echoes).toBe(before);
    const remote = await failure(consumer.rr.request(provider.node.getMultiaddrs(), BIG));
    expect(remote.code).toBe(P2PErrorCode.TOO_LARGE);
    expect(remote.remote).toMatchObject({ status: 'ERROR', code: P2PErrorCode.TOO_LARGE });
  });

  it('times out a hanging handler at the requester, and the provider keeps serving', async () => {
    const e = await failure(consumer.rr.request(provider.node.getMultiaddrs(), HANG, {}, { timeoutMs: 200 }));
    expect(e.code).toBe(P2PErrorCode.TIMEOUT);
    expect(e.remote).toBeUndefined();
    await stillServes();
  });

  it("answers CONN_TIMEOUT when the provider's own handler deadline passes first", async () => {
    const e = await failure(consumer.rr.request(provider.node.getMultiaddrs(), HANG, {}));
    expect(e.code).toBe(P2PErrorCode.TIMEOUT);
    expect(e.remote).toMatchObject({ status: 'ERROR', code: P2PErrorCode.TIMEOUT, institutionId: 'inst-provider' });
    await stillServes();
  });

  it('times out a peer that opens a stream and never writes', async () => {
    const stream = await consumer.node.dialProtocol(provider.node.getMultiaddrs(), ECHO);
    const lp = lpStream(stream);
    const response = decodeEnvelope((await lp.read({ signal: AbortSignal.timeout(5_000) })).subarray());
    expect(response).toMatchObject({ status: 'ERROR', error: { code: P2PErrorCode.TIMEOUT } });
    expect(response.inReplyTo).toBeUndefined();
    await stillServes();
  });

  it('resets a stream the peer keeps open after the answer', async () => {
    const stream = await consumer.node.dialProtocol(provider.node.getMultiaddrs(), ECHO);
    const closed = new Promise<void>((resolve) => stream.addEventListener('close', () => resolve(), { once: true }));
    const lp = lpStream(stream);
    await lp.write(encodeEnvelope(await signedRequest(consumer, provider, ECHO, 'keep-open')));
    expect(decodeEnvelope((await lp.read()).subarray())).toMatchObject({ status: 'OK', body: 'keep-open' });
    await closed; // never closing our side: the provider must end the stream itself
    expect(stream.status).toBe('reset');
  });

  it('answers malformed frames with CONN_BAD_MESSAGE', async () => {
    const cases: Uint8Array[] = [
      frame(new TextEncoder().encode('not json at all')),
      frame(Uint8Array.from([0xff, 0xfe, 0xfd])), // not UTF-8
      frame(new TextEncoder().encode('[1,2,3]')),
      frame(new TextEncoder().encode('{"v":1,"kind":"request"}')),
      frame(new Uint8Array(100)).subarray(0, 50), // ends mid-frame
      new Uint8Array(0), // ends before any frame
    ];
    for (const bytes of cases) {
      const response = await rawExchange(consumer.node, provider, ECHO, bytes);
      expect(response).toMatchObject({ status: 'ERROR', error: { code: P2PErrorCode.BAD_MESSAGE } });
    }
  });

  it('survives a flood of garbage streams and raw TCP garbage, then serves a normal request', async () => {
    const before = echoes;
    for (let round = 0; round < 4; round++) {
      await Promise.all(
        Array.from({ length: 16 }, () => rawExchange(consumer.node, provider, ECHO, randomBytes(1 + randomBytes(2).readUInt16BE() % 4096))),
      );
    }
    const tcpPort = Number(provider.node.getMultiaddrs()[0]!.toString().split('/')[4]);
    await Promise.all(
      Array.from(
        { length: 8 },
        () =>
          new Promise<void>((resolve) => {
            const socket = connect(tcpPort, '127.0.0.1', () => socket.end(randomBytes(8192)));
            socket.on('error', () => resolve());
            socket.on('close', () => resolve());
            socket.resume();
          }),
      ),
    );
    expect(echoes).toBe(before);
    expect(provider.node.status).toBe('started');
    await stillServes();
  });

  it('rejects responses that are not signed by the expected provider or do not answer this request', async () => {
    const expectations: [EvilMode, string][] = [
      ['stranger-key', P2PErrorCode.BAD_SIGNATURE],
      ['other-nonce', P2PErrorCode.BAD_MESSAGE],
      ['garbage', P2PErrorCode.BAD_MESSAGE],
      ['huge', P2PErrorCode.TOO_LARGE],
    ];
    for (const [evil, code] of expectations) {
      mode = evil;
      const e = await failure(consumer.rr.request(mallory.node.getMultiaddrs(), EVIL, {}));
      expect({ evil, code: e.code, remote: e.remote }).toEqual({ evil, code, remote: undefined });
    }
    mode = 'silent';
    expect((await failure(consumer.rr.request(mallory.node.getMultiaddrs(), EVIL, {}, { timeoutMs: 300 }))).code).toBe(P2PErrorCode.TIMEOUT);
  });
});
