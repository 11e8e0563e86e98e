/**
 * Public types of the request/response service: what callers inject
 * (components), what they configure (init), and the handler contract.
 */
import type { Logger } from 'pino';
import type { Libp2p, PeerId } from '@libp2p/interface';
import type { Multiaddr } from '@multiformats/multiaddr';
import type { JsonValue } from './canonical-json.js';
import type { EnvelopeSigner, SignedEnvelope } from './envelope.js';
import type { NonceStore } from './nonce-store.js';

/** An active institution a peer id belongs to, as the ledger says. */
export interface AuthorizedPeer {
  readonly institutionId: string;
  /** The institution's registered signer address (ethers, 0x…). */
  readonly signerAddress: string;
}

/**
 * Resolves a peer id to its active institution, or undefined when the peer is
 * unknown or its institution is not active. The lead binds it to the ledger's
 * `institutions:ResolvePeer`. May throw when the ledger is unreachable.
 */
export type AuthorizePeer = (peerId: string) => Promise<AuthorizedPeer | undefined>;

/** Injected dependencies. */
export interface RequestResponseComponents {
  /** A started libp2p node (see `createP2PNode`). */
  readonly node: Libp2p;
  /** This institution's signer (its ethers wallet). */
  readonly signer: EnvelopeSigner;
  /** This institution's id on the ledger. */
  readonly institutionId: string;
  readonly authorizePeer: AuthorizePeer;
  /** Replay store; default an in-memory one. */
  readonly nonceStore?: NonceStore;
  /** Clock in ms; default `Date.now`. */
  readonly now?: () => number;
  /** Where failures of inbound requests are logged (a pino logger); default none. */
  readonly logger?: Pick<Logger, 'warn' | 'error'>;
}

/** Configuration; every field has a default in `Defaults`. */
export interface RequestResponseInit {
  readonly maxMessageBytes?: number;
  readonly requestTimeoutMs?: number;
  readonly readTimeoutMs?: number;
  readonly handlerTimeoutMs?: number;
  readonly envelopeTtlMs?: number;
  readonly maxEnvelopeTtlMs?: number;
  readonly clockSkewMs?: number;
  readonly maxInboundStreams?: number;
}

/** What a handler learns about the request besides its body. */
export interface RequestContext {
  readonly protocol: string;
  /** Remote peer id (string form). */
  readonly peerId: string;
  /** The requesting institution, authorised through the ledger. */
  readonly institutionId: string;
  /** The verified request envelope (keep it as evidence if needed). */
  readonly envelope: SignedEnvelope;
  /** Fires when the handler's deadline passes or the service stops. */
  readonly signal: AbortSignal;
}

/** A handler's answer; build it with `ok`, `denied`, `notFound` or `failed`. */
export type HandlerResult =
  | { readonly status: 'OK'; readonly body?: JsonValue }
  | {
      readonly status: 'DENIED' | 'NOT_FOUND' | 'ERROR';
      readonly code: string;
      readonly message: string;
      readonly rule?: string;
    };

/**
 * Serves one protocol. A thrown error becomes an ERROR response: its `code` is
 * passed on when it is an upper-case code string (its message too), otherwise
 * the code is `CONN_HANDLER_FAILED` and the message is hidden.
 */
export type RequestHandler = (body: JsonValue | undefined, ctx: RequestContext) => Promise<HandlerResult>;

/** Where to send a request: a peer id, or multiaddrs (strings or objects; `/p2p/<id>` optional). */
export type RequestTarget = PeerId | Multiaddr | string | readonly (string | Multiaddr)[];

export interface RequestOptions {
  /** Cancels the request; it then fails with `CONN_ABORTED`. */
  readonly signal?: AbortSignal;
  /** Deadline for the whole exchange; default `requestTimeoutMs`. Fails with `CONN_TIMEOUT`. */
  readonly timeoutMs?: number;
  /** Refuse (`CONN_PEER_UNAUTHORIZED`) unless the peer belongs to this institution. */
  readonly expectInstitution?: string;
}

/** A verified OK response. */
export interface Reply {
  readonly body: JsonValue | undefined;
  /** The responding institution and its peer id. */
  readonly institutionId: string;
  readonly peerId: string;
  /** The verified signed response envelope (evidence of what the provider said). */
  readonly envelope: SignedEnvelope;
}

/** Success result for a handler. */
export function ok(body?: JsonValue): HandlerResult {
  return body === undefined ? { status: 'OK' } : { status: 'OK', body };
}

/** A refusal (policy, role, consent…), with the rule that decided it when known. */
export function denied(code: string, message: string, rule?: string): HandlerResult {
  return rule === undefined ? { status: 'DENIED', code, message } : { status: 'DENIED', code, message, rule };
}

/** Nothing found. */
export function notFound(code: string, message: string): HandlerResult {
  return { status: 'NOT_FOUND', code, message };
}

/** A failure the requester may see. */
export function failed(code: string, message: string): HandlerResult {
  return { status: 'ERROR', code, message };
}
