/**
 * The requester's side of one exchange: dial (reusing an open connection),
 * authorise the provider through the ledger, send one signed request on a new
 * stream, read and verify the signed response.
 */
import type { Connection, Libp2p, Stream } from '@libp2p/interface';
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr';
import { canonicalJson, type JsonValue } from './canonical-json.js';
import { decodeEnvelope, encodeEnvelope } from './envelope-codec.js';
import { checkFreshness, newEnvelope, signEnvelope, verifyEnvelopeSignature, type SignedEnvelope } from './envelope.js';
import { P2PError, P2PErrorCode, TRANSPORT_CODES, type P2PErrorCode as Code } from './errors.js';
import { Defaults } from './constants.js';
import type { Limits } from './limits.js';
import type { NonceStore } from './nonce-store.js';
import type { AuthorizedPeer, Reply, RequestOptions, RequestResponseComponents, RequestTarget } from './types.js';
import { lingerThenAbort, readFrame, writeFrame, type AbortCode } from './wire.js';

export interface OutboundDeps {
  readonly node: Libp2p;
  readonly components: Required<Pick<RequestResponseComponents, 'signer' | 'institutionId' | 'authorizePeer'>>;
  readonly nonceStore: NonceStore;
  readonly now: () => number;
  readonly limits: Limits;
}

/**
 * Sends one request and returns the verified OK reply.
 *
 * @throws P2PError — see `RequestResponseService.request` for the codes.
 */
export async function sendRequest(
  target: RequestTarget,
  protocol: string,
  body: JsonValue | undefined,
  options: RequestOptions,
  deps: OutboundDeps,
): Promise<Reply> {
  const { limits } = deps;
  const deadline = AbortSignal.timeout(options.timeoutMs ?? limits.requestTimeoutMs);
  const signal = options.signal === undefined ? deadline : AbortSignal.any([options.signal, deadline]);
  const abortCode = (): AbortCode => (options.signal?.aborted === true ? P2PErrorCode.ABORTED : P2PErrorCode.TIMEOUT);
  const onAbort = (): P2PError => new P2PError(abortCode(), abortCode() === P2PErrorCode.TIMEOUT ? 'request timed out' : 'aborted by the caller');
  if (signal.aborted) throw onAbort();
  if (body !== undefined && new TextEncoder().encode(canonicalJson(body)).byteLength > limits.maxMessageBytes) {
    throw new P2PError(P2PErrorCode.TOO_LARGE, 'request body exceeds the size limit');
  }

  const connection = await dial(deps.node, target, signal, onAbort);
  const peerId = connection.remotePeer.toString();
  const provider = await authorize(deps, peerId, options.expectInstitution);
  const request = await signEnvelope(
    newEnvelope({
      kind: 'request',
      protocol,
      from: deps.components.institutionId,
      to: provider.institutionId,
      ...(body === undefined ? {} : { body }),
      ttlMs: limits.envelopeTtlMs,
      now: deps.now(),
    }),
    deps.components.signer,
  );
  const bytes = encodeEnvelope(request);
  if (bytes.byteLength > limits.maxMessageBytes) throw new P2PError(P2PErrorCode.TOO_LARGE, 'request exceeds the size limit', { peerId });

  let stream: Stream | undefined;
  try {
    stream = await openStream(connection, protocol, signal, onAbort);
    const reading = readFrame(stream, limits.maxMessageBytes, signal, abortCode);
    reading.catch(() => undefined); // awaited below; a failed write must not leave it unhandled
    await writeFrame(stream, bytes, signal, abortCode);
    const frame = await reading;
    lingerThenAbort(stream, limits.readTimeoutMs);
    const response = decodeEnvelope(frame);
    return await acceptResponse(response, request, provider, peerId, deps);
  } catch (e) {
    stream?.abort(e instanceof Error ? e : new Error('request failed'));
    if (e instanceof P2PError && e.peerId === undefined && e.remote === undefined) {
      throw new P2PError(e.code, e.message, { cause: e.cause, peerId });
    }
    throw e;
  }
}

async function dial(node: Libp2p, target: RequestTarget, signal: AbortSignal, onAbort: () => P2PError): Promise<Connection> {
  let resolved: Parameters<Libp2p['dial']>[0];
  try {
    resolved = typeof target === 'string' ? multiaddr(target) : Array.isArray(target) ? target.map(toMultiaddr) : (target as Exclude<RequestTarget, string | readonly unknown[]>);
  } catch (cause) {
    throw new P2PError(P2PErrorCode.PEER_UNREACHABLE, 'invalid peer address', { cause });
  }
  try {
    return await node.dial(resolved, { signal });
  } catch (cause) {
    if (signal.aborted) throw onAbort();
    throw new P2PError(P2PErrorCode.PEER_UNREACHABLE, 'cannot reach the peer', { cause });
  }
}

function toMultiaddr(value: string | Multiaddr): Multiaddr {
  return typeof value === 'string' ? multiaddr(value) : value;
}

async function authorize(deps: OutboundDeps, peerId: string, expected: string | undefined): Promise<AuthorizedPeer> {
  let provider: AuthorizedPeer | undefined;
  try {
    provider = await deps.components.authorizePeer(peerId);
  } catch (cause) {
    throw new P2PError(P2PErrorCode.UNAVAILABLE, 'cannot resolve peers right now', { cause, peerId });
  }
  if (provider === undefined) {
    throw new P2PError(P2PErrorCode.PEER_UNAUTHORIZED, `peer ${peerId} is not an active institution`, { peerId });
  }
  if (expected !== undefined && provider.institutionId !== expected) {
    throw new P2PError(P2PErrorCode.PEER_UNAUTHORIZED, `peer ${peerId} belongs to ${provider.institutionId}, not ${expected}`, { peerId });
  }
  return provider;
}

async function openStream(connection: Connection, protocol: string, signal: AbortSignal, onAbort: () => P2PError): Promise<Stream> {
  try {
    return await connection.newStream(protocol, { signal, maxOutboundStreams: Defaults.MAX_OUTBOUND_STREAMS });
  } catch (cause) {
    if (signal.aborted) throw onAbort();
    const name = typeof cause === 'object' && cause !== null ? (cause as { name?: unknown }).name : undefined;
    if (name === 'UnsupportedProtocolError') throw new P2PError(P2PErrorCode.PROTOCOL_UNSUPPORTED, `the peer does not serve ${protocol}`, { cause });
    throw new P2PError(P2PErrorCode.PEER_UNREACHABLE, 'cannot open a stream to the peer', { cause });
  }
}

async function acceptResponse(
  response: SignedEnvelope,
  request: SignedEnvelope,
  provider: AuthorizedPeer,
  peerId: string,
  deps: OutboundDeps,
): Promise<Reply> {
  const bad = (code: Code, message: string): P2PError => new P2PError(code, message, { peerId });
  if (response.kind !== 'response' || response.protocol !== request.protocol) throw bad(P2PErrorCode.BAD_MESSAGE, 'expected a response for this protocol');
  if (response.from !== provider.institutionId) throw bad(P2PErrorCode.PEER_UNAUTHORIZED, `response is from ${response.from}, not the peer's institution`);
  if (response.to !== undefined && response.to !== request.from) throw bad(P2PErrorCode.BAD_MESSAGE, 'response is addressed to another institution');
  if (response.inReplyTo !== undefined && response.inReplyTo !== request.nonce) throw bad(P2PErrorCode.BAD_MESSAGE, 'response answers another request');
  if (response.status === 'OK' && (response.to === undefined || response.inReplyTo === undefined)) {
    throw bad(P2PErrorCode.BAD_MESSAGE, 'an OK response must name its recipient and request');
  }
  try {
    checkFreshness(response, deps.now(), { maxTtlMs: deps.limits.maxEnvelopeTtlMs, clockSkewMs: deps.limits.clockSkewMs });
    verifyEnvelopeSignature(response, provider.signerAddress);
  } catch (e) {
    if (e instanceof P2PError) throw bad(e.code, `response refused: ${e.message}`);
    throw e;
  }
  let replay: boolean;
  try {
    replay = await deps.nonceStore.seen(`${response.from}/${response.nonce}`, response.expiresAt);
  } catch (cause) {
    throw new P2PError(P2PErrorCode.UNAVAILABLE, 'replay store unavailable', { cause, peerId });
  }
  if (replay) throw bad(P2PErrorCode.REPLAY, 'response nonce was already used');
  if (response.status === 'OK') {
    return { body: response.body, institutionId: provider.institutionId, peerId, envelope: response };
  }
  const error = response.error ?? { code: 'CONN_REMOTE_ERROR', message: 'no error given' };
  const status = response.status ?? 'ERROR';
  const remote = { status, ...error, institutionId: provider.institutionId } as const;
  const code: Code = TRANSPORT_CODES.has(error.code)
    ? (error.code as Code)
    : status === 'DENIED'
      ? P2PErrorCode.REMOTE_DENIED
      : status === 'NOT_FOUND'
        ? P2PErrorCode.REMOTE_NOT_FOUND
        : P2PErrorCode.REMOTE_ERROR;
  throw new P2PError(code, `${provider.institutionId} answered ${status} ${error.code}: ${error.message}`, { remote, peerId });
}
