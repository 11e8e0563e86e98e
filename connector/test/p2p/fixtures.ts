/**
 * Test fixtures: real libp2p nodes on loopback, a shared "ledger" of peers,
 * and a raw client that writes whatever bytes a test wants.
 */
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Libp2p } from '@libp2p/interface';
import { lpStream } from '@libp2p/utils';
import { Wallet } from 'ethers';
import {
  createP2PNode,
  createRequestResponse,
  decodeEnvelope,
  encodeEnvelope,
  newEnvelope,
  signEnvelope,
  type AuthorizedPeer,
  type AuthorizePeer,
  type JsonValue,
  type NewEnvelopeFields,
  type RequestResponseInit,
  type RequestResponseService,
  type SignedEnvelope,
} from '../../src/p2p/index.js';

/** peer id → institution, as the ledger's `institutions:ResolvePeer` would answer. */
export type PeerDirectory = Map<string, AuthorizedPeer>;

export interface TestPeer {
  readonly institutionId: string;
  readonly wallet: Wallet;
  readonly node: Libp2p;
  readonly rr: RequestResponseService;
  readonly peerId: string;
}

export interface StartPeerOptions {
  readonly institutionId: string;
  readonly directory: PeerDirectory;
  /** Register the peer in the directory (default true). */
  readonly register?: boolean;
  readonly init?: RequestResponseInit;
  /** Replaces the directory lookup (e.g. a failing ledger). */
  readonly authorize?: AuthorizePeer;
}

/** Starts a node + request/response service listening on 127.0.0.1, port 0. */
export async function startPeer(options: StartPeerOptions): Promise<TestPeer> {
  const wallet = new Wallet(Wallet.createRandom().privateKey);
  const node = await createP2PNode({ privateKey: await generateKeyPair('Ed25519'), listen: ['/ip4/127.0.0.1/tcp/0'] });
  const peerId = node.peerId.toString();
  if (options.register !== false) options.directory.set(peerId, { institutionId: options.institutionId, signerAddress: wallet.address });
  const rr = createRequestResponse(
    {
      node,
      signer: wallet,
      institutionId: options.institutionId,
      authorizePeer: options.authorize ?? ((id) => Promise.resolve(options.directory.get(id))),
    },
    options.init,
  );
  await rr.start();
  return { institutionId: options.institutionId, wallet, node, rr, peerId };
}

export async function stopPeer(peer: TestPeer | undefined): Promise<void> {
  if (peer === undefined) return;
  await peer.rr.stop();
  await peer.node.stop();
}

/** A signed request envelope from `from` to `to`, with overrides applied before signing. */
export async function signedRequest(
  from: TestPeer,
  to: TestPeer,
  protocol: string,
  body: JsonValue | undefined,
  overrides: Partial<NewEnvelopeFields> = {},
  signer: Wallet = from.wallet,
): Promise<SignedEnvelope> {
  const envelope = newEnvelope({
    kind: 'request',
    protocol,
    from: from.institutionId,
    to: to.institutionId,
    ...(body === undefined ? {} : { body }),
    ...overrides,
  });
  return signEnvelope(envelope, signer);
}

/**
 * Opens a stream from `from` to `to` on `protocol`, writes `bytes` as they are
 * (no framing), closes the writing side and reads one length-prefixed
 * response. Returns the decoded response, or undefined when the stream ended
 * or broke without one.
 */
export async function rawExchange(from: Libp2p, to: TestPeer, protocol: string, bytes: Uint8Array): Promise<SignedEnvelope | undefined> {
  const stream = await from.dialProtocol(to.node.getMultiaddrs(), protocol, { signal: AbortSignal.timeout(5_000) });
  const lp = lpStream(stream, { maxDataLength: 1024 * 1024 });
  try {
    stream.send(bytes);
    await stream.close({ signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
    const frame = await lp.read({ signal: AbortSignal.timeout(5_000) });
    return decodeEnvelope(frame.subarray());
  } catch {
    return undefined;
  } finally {
    stream.abort(new Error('test done'));
  }
}

/** Length-prefixes `payload` (unsigned varint), as the wire does. */
export function frame(payload: Uint8Array): Uint8Array {
  const prefix: number[] = [];
  let n = payload.byteLength;
  while (n >= 0x80) {
    prefix.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  prefix.push(n);
  const out = new Uint8Array(prefix.length + payload.byteLength);
  out.set(prefix, 0);
  out.set(payload, prefix.length);
  return out;
}

/** Sends one signed envelope, framed, through {@link rawExchange} (on the envelope's protocol unless told). */
export async function rawEnvelope(
  from: TestPeer,
  to: TestPeer,
  envelope: SignedEnvelope,
  protocol: string = envelope.protocol,
): Promise<SignedEnvelope | undefined> {
  return rawExchange(from.node, to, protocol, frame(encodeEnvelope(envelope)));
}
