/**
 * Protocol ids and limits of the connector's libp2p exchanges.
 *
 * Every protocol is one request/response per stream: the requester writes one
 * length-prefixed signed envelope, the responder writes one back and both close.
 */

/** Prefix of every xinlian protocol id. */
export const PROTOCOL_PREFIX = '/xinlian';

/** Version suffix of every xinlian protocol id. */
export const PROTOCOL_VERSION = '1.0.0';

/**
 * The protocol id for a protocol name: `/xinlian/<name>/1.0.0`.
 *
 * @throws RangeError when `name` is not lowercase letters, digits and dashes.
 */
export function protocolId(name: string): string {
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(name)) throw new RangeError(`bad protocol name: ${JSON.stringify(name)}`);
  return `${PROTOCOL_PREFIX}/${name}/${PROTOCOL_VERSION}`;
}

/** The connector's protocols: catalogue, contract negotiation, transfer of model outputs. */
export const Protocols = {
  CATALOG: protocolId('catalog'),
  NEGOTIATION: protocolId('negotiation'),
  TRANSFER: protocolId('transfer'),
} as const;
export type KnownProtocol = (typeof Protocols)[keyof typeof Protocols];

/** Version of the envelope format (field `v`). */
export const ENVELOPE_VERSION = 1;

/** Domain-separation tag hashed in front of every envelope before signing. */
export const ENVELOPE_DOMAIN = 'xinlian-p2p-envelope-v1';

/** Default limits; each can be overridden in `RequestResponseInit`. */
export const Defaults = {
  /** Largest encoded envelope (request or response) accepted or sent. */
  MAX_MESSAGE_BYTES: 1024 * 1024,
  /** Requester's deadline for one whole exchange (dial, send, receive). */
  REQUEST_TIMEOUT_MS: 10_000,
  /** Responder's deadline for reading the request frame once the stream opened. */
  READ_TIMEOUT_MS: 5_000,
  /** Responder's deadline for a handler to produce its answer. */
  HANDLER_TIMEOUT_MS: 10_000,
  /** Lifetime of envelopes this node creates. */
  ENVELOPE_TTL_MS: 30_000,
  /** Longest lifetime accepted from others (bounds the replay store). */
  MAX_ENVELOPE_TTL_MS: 120_000,
  /** Tolerated clock difference between institutions. */
  CLOCK_SKEW_MS: 30_000,
  /**
   * Concurrent streams per connection and protocol, each way. A busy consumer (a gateway
   * serving many lenders' requests) opens many at once on its one connection to a provider;
   * past this limit libp2p resets the stream.
   */
  MAX_INBOUND_STREAMS: 256,
  MAX_OUTBOUND_STREAMS: 256,
} as const;
