/**
 * The responder's side of one stream: read one signed request, admit it
 * (peer on the ledger, sender, signature, freshness, nonce), run the handler
 * under a deadline, write one signed response. Every failure becomes a signed
 * error response when the stream still allows it; nothing here throws.
 */
import type { Connection, Stream } from '@libp2p/interface';
import type { JsonValue } from './canonical-json.js';
import { encodeEnvelope, decodeEnvelope } from './envelope-codec.js';
import { checkFreshness, newEnvelope, signEnvelope, verifyEnvelopeSignature, type SignedEnvelope } from './envelope.js';
import { isP2PError, P2PError, P2PErrorCode } from './errors.js';
import { raceSignal, type Limits } from './limits.js';
import type { NonceStore } from './nonce-store.js';
import type { AuthorizedPeer, HandlerResult, RequestHandler, RequestResponseComponents } from './types.js';
import type { Logger } from 'pino';
import { lingerThenAbort, readFrame, writeFrame } from './wire.js';

export interface InboundDeps {
  readonly components: Required<Pick<RequestResponseComponents, 'signer' | 'institutionId' | 'authorizePeer'>>;
  readonly nonceStore: NonceStore;
  readonly now: () => number;
  readonly limits: Limits;
  /** Fires when the service stops. */
  readonly stopSignal: AbortSignal;
  readonly logger?: Pick<Logger, 'warn' | 'error'>;
}

const DENIED_CODES: ReadonlySet<string> = new Set<string>([
  P2PErrorCode.PEER_UNAUTHORIZED,
  P2PErrorCode.BAD_SIGNATURE,
  P2PErrorCode.REPLAY,
  P2PErrorCode.EXPIRED,
]);
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** Serves one inbound stream; never throws. */
export async function serveStream(stream: Stream, connection: Connection, handler: RequestHandler, deps: InboundDeps): Promise<void> {
  const { limits } = deps;
  const peerId = connection.remotePeer.toString();
  let request: SignedEnvelope | undefined;
  const admitted: { peer?: AuthorizedPeer } = {};
  let result: HandlerResult;
  try {
    const readSignal = AbortSignal.any([AbortSignal.timeout(limits.readTimeoutMs), deps.stopSignal]);
    const bytes = await readFrame(stream, limits.maxMessageBytes, readSignal);
    request = decodeEnvelope(bytes);
    await admit(request, stream.protocol, peerId, deps, admitted);
    result = await runHandler(handler, request, stream.protocol, peerId, deps);
  } catch (e) {
    if (isP2PError(e, P2PErrorCode.PEER_UNREACHABLE)) {
      stream.abort(e);
      return;
    }
    if (!isP2PError(e)) deps.logger?.error({ peerId, protocol: stream.protocol, err: e }, 'inbound request failed');
    result = isP2PError(e)
      ? { status: DENIED_CODES.has(e.code) ? 'DENIED' : 'ERROR', code: e.code, message: e.message }
      : { status: 'ERROR', code: 'CONN_INTERNAL', message: 'internal error' };
  }
  try {
    const response = await buildResponse(result, stream.protocol, request, admitted.peer, deps);
    await writeFrame(stream, response, AbortSignal.timeout(limits.readTimeoutMs));
    lingerThenAbort(stream, limits.readTimeoutMs);
  } catch (e) {
    deps.logger?.warn({ peerId, protocol: stream.protocol, err: e }, 'response not delivered');
    stream.abort(e instanceof Error ? e : new Error('response failed'));
  }
}

async function admit(
  request: SignedEnvelope,
  protocol: string,
  peerId: string,
  deps: InboundDeps,
  admitted: { peer?: AuthorizedPeer },
): Promise<void> {
  if (request.kind !== 'request') throw new P2PError(P2PErrorCode.BAD_MESSAGE, 'expected a request envelope');
  if (request.protocol !== protocol) throw new P2PError(P2PErrorCode.BAD_MESSAGE, `envelope is for ${request.protocol}, not ${protocol}`);
  let peer: AuthorizedPeer | undefined;
  try {
    peer = await deps.components.authorizePeer(peerId);
  } catch (cause) {
    throw new P2PError(P2PErrorCode.UNAVAILABLE, 'cannot resolve peers right now', { cause });
  }
  if (peer === undefined) throw new P2PError(P2PErrorCode.PEER_UNAUTHORIZED, `peer ${peerId} is not an active institution`);
  admitted.peer = peer;
  if (request.from !== peer.institutionId) {
    throw new P2PError(P2PErrorCode.PEER_UNAUTHORIZED, `envelope sender ${request.from} is not the peer's institution`);
  }
  if (request.to !== deps.components.institutionId) {
    throw new P2PError(P2PErrorCode.BAD_MESSAGE, 'envelope is addressed to another institution');
  }
  checkFreshness(request, deps.now(), { maxTtlMs: deps.limits.maxEnvelopeTtlMs, clockSkewMs: deps.limits.clockSkewMs });
  verifyEnvelopeSignature(request, peer.signerAddress);
  let replay: boolean;
  try {
    replay = await deps.nonceStore.seen(`${request.from}/${request.nonce}`, request.expiresAt);
  } catch (cause) {
    throw new P2PError(P2PErrorCode.UNAVAILABLE, 'replay store unavailable', { cause });
  }
  if (replay) throw new P2PError(P2PErrorCode.REPLAY, `nonce ${request.nonce} was already used`);
}

async function runHandler(
  handler: RequestHandler,
  request: SignedEnvelope,
  protocol: string,
  peerId: string,
  deps: InboundDeps,
): Promise<HandlerResult> {
  const deadline = AbortSignal.timeout(deps.limits.handlerTimeoutMs);
  const signal = AbortSignal.any([deadline, deps.stopSignal]);
  const ctx = { protocol, peerId, institutionId: request.from, envelope: request, signal };
  try {
    const result = await raceSignal(Promise.resolve().then(() => handler(request.body, ctx)), signal, () =>
      deps.stopSignal.aborted
        ? new P2PError(P2PErrorCode.UNAVAILABLE, 'service is stopping')
        : new P2PError(P2PErrorCode.TIMEOUT, `handler did not answer within ${deps.limits.handlerTimeoutMs} ms`),
    );
    return checkResult(result);
  } catch (e) {
    if (isP2PError(e) && signal.aborted) throw e;
    const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
    if (typeof code === 'string' && CODE.test(code)) {
      deps.logger?.warn({ peerId, protocol, requester: request.from, code, err: e }, 'handler failed with a coded error');
      return { status: 'ERROR', code, message: e instanceof Error ? e.message.slice(0, 2048) : code };
    }
    deps.logger?.error({ peerId, protocol, requester: request.from, err: e }, 'handler failed');
    return { status: 'ERROR', code: 'CONN_HANDLER_FAILED', message: 'the handler failed' };
  }
}

/** A handler's result as the wire allows it, or a CONN_HANDLER_FAILED error when it is not one. */
function checkResult(result: unknown): HandlerResult {
  const invalid: HandlerResult = { status: 'ERROR', code: 'CONN_HANDLER_FAILED', message: 'the handler returned an invalid result' };
  if (typeof result !== 'object' || result === null) return invalid;
  const r = result as Record<string, unknown>;
  if (r.status === 'OK') return r.body === undefined ? { status: 'OK' } : { status: 'OK', body: r.body as JsonValue };
  if (r.status !== 'DENIED' && r.status !== 'NOT_FOUND' && r.status !== 'ERROR') return invalid;
  if (typeof r.code !== 'string' || !CODE.test(r.code) || typeof r.message !== 'string') return invalid;
  if (r.rule !== undefined && (typeof r.rule !== 'string' || r.rule.length === 0 || r.rule.length > 256)) return invalid;
  const message = r.message.slice(0, 2048);
  return r.rule === undefined ? { status: r.status, code: r.code, message } : { status: r.status, code: r.code, message, rule: r.rule };
}

async function buildResponse(
  result: HandlerResult,
  protocol: string,
  request: SignedEnvelope | undefined,
  peer: AuthorizedPeer | undefined,
  deps: InboundDeps,
): Promise<Uint8Array> {
  const base = {
    kind: 'response' as const,
    protocol,
    from: deps.components.institutionId,
    ...(peer === undefined ? {} : { to: peer.institutionId }),
    ...(request === undefined ? {} : { inReplyTo: request.nonce }),
    ttlMs: deps.limits.envelopeTtlMs,
    now: deps.now(),
  };
  const encode = async (r: HandlerResult): Promise<Uint8Array> => {
    const fields =
      r.status === 'OK'
        ? { status: r.status, ...(r.body === undefined ? {} : { body: r.body as JsonValue }) }
        : { status: r.status, error: { code: r.code, message: r.message, ...(r.rule === undefined ? {} : { rule: r.rule }) } };
    return encodeEnvelope(await signEnvelope(newEnvelope({ ...base, ...fields }), deps.components.signer));
  };
  let bytes: Uint8Array;
  try {
    bytes = await encode(result);
  } catch {
    bytes = await encode({ status: 'ERROR', code: 'CONN_HANDLER_FAILED', message: 'the handler returned a body that is not JSON' });
  }
  if (bytes.byteLength > deps.limits.maxMessageBytes) {
    bytes = await encode({ status: 'ERROR', code: P2PErrorCode.TOO_LARGE, message: 'the response exceeds the size limit' });
  }
  return bytes;
}
