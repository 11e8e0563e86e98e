/**
 * The connector's libp2p layer.
 *
 * - `createP2PNode` starts a TCP + Noise + Yamux node with the institution's persistent key.
 * - `createRequestResponse` serves and sends one signed request/response per stream on
 *   `/xinlian/<name>/1.0.0` protocols (`Protocols.CATALOG`, `NEGOTIATION`, `TRANSFER`).
 * - Every message is a signed envelope (see ./envelope.ts for the signature scheme) with
 *   sender, recipient, nonce and expiry; peers are admitted only when the ledger knows
 *   them as active institutions (`authorizePeer`) and the envelope's signer is theirs.
 *
 * @example
 * ```ts
 * const keys = await loadOrCreateInstitutionKeys(dir);
 * const node = await createP2PNode({ privateKey: keys.libp2pPrivateKey, listen: ['/ip4/127.0.0.1/tcp/0'] });
 * const rr = createRequestResponse({ node, signer: keys.wallet, institutionId, authorizePeer });
 * await rr.handle(Protocols.CATALOG, async (body, ctx) => ok({ products: [] }));
 * await rr.start();
 * const body = await rr.request(peerAddresses, Protocols.CATALOG, { query: 'all' });
 * ```
 */
export { canonicalJson, isJsonValue, type JsonPrimitive, type JsonValue } from './canonical-json.js';
export { Defaults, ENVELOPE_DOMAIN, ENVELOPE_VERSION, PROTOCOL_PREFIX, PROTOCOL_VERSION, Protocols, protocolId, type KnownProtocol } from './constants.js';
export { decodeEnvelope, encodeEnvelope, validateEnvelope } from './envelope-codec.js';
export {
  checkFreshness,
  envelopeDigest,
  newEnvelope,
  recoverEnvelopeSigner,
  signEnvelope,
  verifyEnvelopeSignature,
  type Envelope,
  type EnvelopeError,
  type EnvelopeKind,
  type EnvelopeSigner,
  type FreshnessLimits,
  type NewEnvelopeFields,
  type SignedEnvelope,
} from './envelope.js';
export { isP2PError, P2PError, P2PErrorCode, type P2PErrorOptions, type RemoteFailure, type ResponseStatus } from './errors.js';
export type { Limits } from './limits.js';
export { createP2PNode, nodeAddresses, type P2PNodeInit } from './node.js';
export { createMemoryNonceStore, type MemoryNonceStoreInit, type NonceStore } from './nonce-store.js';
export { createRequestResponse, RequestResponseService } from './request-response.js';
export {
  denied,
  failed,
  notFound,
  ok,
  type AuthorizedPeer,
  type AuthorizePeer,
  type HandlerResult,
  type Reply,
  type RequestContext,
  type RequestHandler,
  type RequestOptions,
  type RequestResponseComponents,
  type RequestResponseInit,
  type RequestTarget,
} from './types.js';
