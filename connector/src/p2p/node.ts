/**
 * The connector's libp2p node: TCP + Noise + Yamux, persistent identity.
 */
import '../polyfills.js';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import type { Libp2p, PrivateKey } from '@libp2p/interface';
import { tcp } from '@libp2p/tcp';
import { createLibp2p } from 'libp2p';
import { Defaults } from './constants.js';

export interface P2PNodeInit {
  /** The institution's libp2p key (see `loadOrCreateInstitutionKeys`); fixes the peer id. */
  readonly privateKey: PrivateKey;
  /** Listen multiaddrs, e.g. `['/ip4/127.0.0.1/tcp/0']`. Default: none (dial only). */
  readonly listen?: readonly string[];
  /** Addresses to announce instead of the listen addresses (e.g. behind NAT). */
  readonly announce?: readonly string[];
  /** Most open connections; default 300. */
  readonly maxConnections?: number;
  /** Deadline for a whole dial; default 5000 ms. */
  readonly dialTimeoutMs?: number;
  /** Deadline for an inbound connection upgrade (Noise + Yamux); default 5000 ms. */
  readonly inboundUpgradeTimeoutMs?: number;
}

/**
 * Creates and starts a libp2p node. Stop it with `node.stop()`.
 *
 * @throws whatever libp2p throws when a listen address cannot be bound.
 */
export async function createP2PNode(init: P2PNodeInit): Promise<Libp2p> {
  return createLibp2p({
    privateKey: init.privateKey,
    addresses: {
      listen: [...(init.listen ?? [])],
      ...(init.announce === undefined ? {} : { announce: [...init.announce] }),
    },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    // Streams a requester opens while the connection is still being set up on our side are
    // "early"; yamux's default of 10 resets a burst of requests on a fresh connection.
    streamMuxers: [yamux({ maxEarlyStreams: Defaults.MAX_INBOUND_STREAMS })],
    connectionManager: {
      maxConnections: init.maxConnections ?? 300,
      dialTimeout: init.dialTimeoutMs ?? 5_000,
      inboundUpgradeTimeout: init.inboundUpgradeTimeoutMs ?? 5_000,
    },
  });
}

/** The node's listen addresses with `/p2p/<peer id>`, as strings (what the ledger's `UpdateEndpoint` takes). */
export function nodeAddresses(node: Libp2p): string[] {
  return node.getMultiaddrs().map((ma) => ma.toString());
}
