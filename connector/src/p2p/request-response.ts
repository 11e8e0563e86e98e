/**
 * The connector's generic request/response service over libp2p: one signed
 * request and one signed response per stream, on protocols
 * `/xinlian/<name>/1.0.0`. Business handlers (catalogue, negotiation,
 * transfer) are registered with {@link RequestResponseService.handle}.
 */
import type { Connection, Stream } from '@libp2p/interface';
import type { JsonValue } from './canonical-json.js';
import { P2PError, P2PErrorCode } from './errors.js';
import { serveStream, type InboundDeps } from './inbound.js';
import { resolveLimits, type Limits } from './limits.js';
import { createMemoryNonceStore, type NonceStore } from './nonce-store.js';
import { sendRequest, type OutboundDeps } from './outbound.js';
import type { Reply, RequestHandler, RequestOptions, RequestResponseComponents, RequestResponseInit, RequestTarget } from './types.js';

export class RequestResponseService {
  readonly #components: RequestResponseComponents;
  readonly #limits: Limits;
  readonly #nonceStore: NonceStore;
  readonly #handlers = new Map<string, RequestHandler>();
  readonly #inflight = new Set<Promise<void>>();
  #stopController = new AbortController();
  #started = false;

  /** @throws RangeError when a limit in `init` is invalid. */
  constructor(components: RequestResponseComponents, init: RequestResponseInit = {}) {
    this.#components = components;
    this.#limits = resolveLimits(init);
    this.#nonceStore = components.nonceStore ?? createMemoryNonceStore();
  }

  /** The resolved limits. */
  get limits(): Limits {
    return this.#limits;
  }

  isStarted(): boolean {
    return this.#started;
  }

  /** Registers every handler added so far with the libp2p node. Idempotent. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#stopController = new AbortController();
    this.#started = true;
    for (const protocol of this.#handlers.keys()) await this.#register(protocol);
  }

  /**
   * Unregisters the protocols, aborts running handlers (their requesters get an
   * error response) and waits for in-flight streams to finish. Idempotent.
   */
  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    this.#stopController.abort();
    await this.#components.node.unhandle([...this.#handlers.keys()]).catch(() => undefined); // the node may be stopped already
    await Promise.allSettled([...this.#inflight]);
  }

  /**
   * Serves `protocol` with `handler` (registered at once when started, else at start).
   *
   * @throws P2PError `CONN_NOT_READY` when the protocol already has a handler.
   */
  async handle(protocol: string, handler: RequestHandler): Promise<void> {
    if (this.#handlers.has(protocol)) throw new P2PError(P2PErrorCode.NOT_READY, `${protocol} already has a handler`);
    this.#handlers.set(protocol, handler);
    if (this.#started) await this.#register(protocol);
  }

  /** Stops serving `protocol`. */
  async unhandle(protocol: string): Promise<void> {
    if (!this.#handlers.delete(protocol)) return;
    if (this.#started) await this.#components.node.unhandle(protocol);
  }

  /**
   * Sends `body` to a peer on `protocol` and returns the verified response body.
   * Reuses an open connection to the peer; opens a new stream per request.
   *
   * @throws P2PError with code
   *  - `CONN_PEER_UNAUTHORIZED`: the peer is not an active institution, or not `expectInstitution`,
   *    or (remote) this node is not authorised by the peer;
   *  - `CONN_BAD_SIGNATURE`, `CONN_EXPIRED`, `CONN_REPLAY`, `CONN_BAD_MESSAGE`: the response failed
   *    verification, or (with `remote` set) the peer refused the request for that reason;
   *  - `CONN_TOO_LARGE`: the request is over the limit (locally or at the peer) or the response is;
   *  - `CONN_TIMEOUT` (deadline; `remote` set if the peer's handler timed out), `CONN_ABORTED` (caller's signal);
   *  - `CONN_PEER_UNREACHABLE` (dial or stream failed), `CONN_PROTOCOL_UNSUPPORTED`;
   *  - `CONN_UNAVAILABLE`: the peer resolver or replay store failed, here or at the peer;
   *  - `CONN_REMOTE_DENIED` / `CONN_REMOTE_NOT_FOUND` / `CONN_REMOTE_ERROR`: the handler answered so;
   *    `error.remote` holds its code, message and rule;
   *  - `CONN_NOT_READY`: the service is not started.
   */
  async request(target: RequestTarget, protocol: string, body?: JsonValue, options: RequestOptions = {}): Promise<JsonValue | undefined> {
    return (await this.exchange(target, protocol, body, options)).body;
  }

  /**
   * Like {@link request} but returns the whole verified reply, including the
   * provider's signed response envelope.
   *
   * @throws P2PError as {@link request}.
   */
  async exchange(target: RequestTarget, protocol: string, body?: JsonValue, options: RequestOptions = {}): Promise<Reply> {
    if (!this.#started) throw new P2PError(P2PErrorCode.NOT_READY, 'the request/response service is not started');
    return sendRequest(target, protocol, body, options, this.#deps());
  }

  async #register(protocol: string): Promise<void> {
    await this.#components.node.handle(protocol, (stream, connection) => this.#onStream(stream, connection), {
      maxInboundStreams: this.#limits.maxInboundStreams,
      force: true,
    });
  }

  #onStream(stream: Stream, connection: Connection): void {
    const handler = this.#handlers.get(stream.protocol);
    if (handler === undefined || !this.#started) {
      stream.abort(new Error('protocol not served'));
      return;
    }
    const task = serveStream(stream, connection, handler, this.#deps()).finally(() => this.#inflight.delete(task));
    this.#inflight.add(task);
  }

  #deps(): InboundDeps & OutboundDeps {
    const c = this.#components;
    return {
      node: c.node,
      components: { signer: c.signer, institutionId: c.institutionId, authorizePeer: c.authorizePeer },
      nonceStore: this.#nonceStore,
      now: c.now ?? Date.now,
      limits: this.#limits,
      stopSignal: this.#stopController.signal,
      ...(c.logger ? { logger: c.logger } : {}),
    };
  }
}

/**
 * Creates the service (not started).
 *
 * @throws RangeError when a limit in `init` is invalid.
 */
export function createRequestResponse(components: RequestResponseComponents, init: RequestResponseInit = {}): RequestResponseService {
  return new RequestResponseService(components, init);
}
