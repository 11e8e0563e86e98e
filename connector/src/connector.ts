import './polyfills.js';
import { join } from 'node:path';
import type { Libp2p } from '@libp2p/interface';
import type { Institution } from '@xinlian/chaincode';
import type { LedgerClient } from '@xinlian/network';
import type { Wallet } from 'ethers';
import { ConsortiumLedger } from './chain/consortium-ledger.js';
import { LedgerWriter } from './chain/ledger-writer.js';
import { MultiLending } from './chain/multi-lending.js';
import { ConsumerService } from './exchange/consumer.js';
import { ProviderService } from './exchange/provider.js';
import { RevocationFollower } from './exchange/revocation-follower.js';
import { SubjectIndex } from './exchange/subject-index.js';
import { UsageLedger } from './exchange/usage.js';
import { loadOrCreateInstitutionKeys } from './identity/index.js';
import {
  createP2PNode,
  createRequestResponse,
  nodeAddresses,
  Protocols,
  type AuthorizePeer,
  type RequestResponseService,
} from './p2p/index.js';
import { openStore, type ConnectorStore } from './store/index.js';

export interface ConnectorOptions {
  readonly institutionId: string;
  /** The institution's data directory: `store/` (LevelDB) and `keys/` (mode 0600) live here. */
  readonly dataDir: string;
  /** A ledger client transacting as this institution. */
  readonly ledger: LedgerClient;
  /** The consortium key that blinds USCCs into subject tokens (HMAC-SHA256). Never logged. */
  readonly consortiumKey: string | Uint8Array;
  /** libp2p listen addresses (default one TCP port on loopback). */
  readonly listen?: readonly string[];
  /** Publish the peer id and addresses on the ledger at start (default true). */
  readonly announce?: boolean;
  readonly now?: () => Date;
}

/**
 * One institution's connector: its store, keys, libp2p node, and the provider and
 * consumer sides of the exchanges. Only model outputs leave it, signed, after a receipt
 * is on the ledger.
 */
export class Connector {
  readonly institutionId: string;
  readonly wallet: Wallet;
  readonly store: ConnectorStore;
  readonly ledger: ConsortiumLedger;
  readonly subjects: SubjectIndex;
  readonly consumer: ConsumerService;
  readonly provider: ProviderService;
  readonly writer: LedgerWriter;
  /** Lending events and multi-lending checks, by USCC. */
  readonly lending: MultiLending;
  /** The signed request/response service (for protocols beyond the built-in exchanges). */
  readonly p2p: RequestResponseService;
  readonly #node: Libp2p;
  readonly #follower: RevocationFollower;
  readonly #announce: boolean;

  /** @internal use {@link createConnector} */
  constructor(parts: {
    institutionId: string;
    wallet: Wallet;
    store: ConnectorStore;
    ledger: ConsortiumLedger;
    node: Libp2p;
    p2p: RequestResponseService;
    writer: LedgerWriter;
    consortiumKey: string | Uint8Array;
    announce: boolean;
    now?: () => Date;
  }) {
    this.institutionId = parts.institutionId;
    this.wallet = parts.wallet;
    this.store = parts.store;
    this.ledger = parts.ledger;
    this.#node = parts.node;
    this.p2p = parts.p2p;
    this.#announce = parts.announce;
    this.writer = parts.writer;
    this.subjects = new SubjectIndex(parts.store.subjectTokens, parts.store.enterprises, parts.consortiumKey);
    this.lending = new MultiLending(parts.ledger, this.subjects);
    this.#follower = new RevocationFollower(parts.ledger.client, parts.store.meta);
    const now = parts.now ? { now: parts.now } : {};
    this.provider = new ProviderService({
      institutionId: parts.institutionId,
      wallet: parts.wallet,
      ledger: parts.ledger,
      writer: this.writer,
      store: parts.store,
      subjects: this.subjects,
      usage: new UsageLedger(parts.store.usage),
      isRevoked: (id) => this.#follower.isRevoked(id),
      ...now,
    });
    this.consumer = new ConsumerService({
      institutionId: parts.institutionId,
      wallet: parts.wallet,
      ledger: parts.ledger,
      store: parts.store,
      p2p: parts.p2p,
      ...now,
    });
  }

  /** The libp2p peer id and the addresses it listens on. */
  get endpoint(): { peerId: string; addresses: string[] } {
    return { peerId: this.#node.peerId.toString(), addresses: nodeAddresses(this.#node) };
  }

  /**
   * Serves the protocols, follows revocations, publishes the endpoint on the ledger, then
   * finishes what a crash left: pending ledger writes and unfinished negotiations.
   */
  async start(): Promise<void> {
    await this.p2p.handle(Protocols.CATALOG, (body, ctx) => this.provider.catalog(body, ctx));
    await this.p2p.handle(Protocols.NEGOTIATION, (body, ctx) => this.provider.negotiate(body, ctx));
    await this.p2p.handle(Protocols.TRANSFER, (body, ctx) => this.provider.transfer(body, ctx));
    await this.p2p.start();
    await this.#follower.start();
    if (this.#announce) {
      const { peerId, addresses } = this.endpoint;
      await this.ledger.updateEndpoint(peerId, addresses.map((a) => a.replace(/\/p2p\/.*$/, '')));
    }
    await this.writer.drain();
    this.writer.start();
    await this.consumer.resume();
  }

  /** Stops serving and following, and closes the store; unfinished ledger writes stay in the outbox. */
  async stop(): Promise<void> {
    this.writer.stop();
    await this.#follower.stop();
    await this.p2p.stop();
    await this.#node.stop();
    await this.store.close();
  }
}

/**
 * Opens the store and keys in `dataDir` (creating them on first start) and starts a libp2p
 * node. Call {@link Connector.start} once the institution is admitted on the ledger.
 */
export async function createConnector(options: Readonly<ConnectorOptions>): Promise<Connector> {
  const keys = await loadOrCreateInstitutionKeys(join(options.dataDir, 'keys'));
  const store = await openStore({ dataDir: options.dataDir });
  const ledger = new ConsortiumLedger(options.ledger);
  const node = await createP2PNode({
    privateKey: keys.libp2pPrivateKey,
    listen: [...(options.listen ?? ['/ip4/127.0.0.1/tcp/0'])],
  });
  const writer = new LedgerWriter(store.outbox, ledger);
  const now = options.now ?? (() => new Date());
  const authorizePeer: AuthorizePeer = async (peerId) => {
    let inst: Institution;
    try {
      inst = await ledger.resolvePeer(peerId);
    } catch (e) {
      if ((e as { code?: unknown }).code === 'CC_NOT_FOUND') return undefined;
      throw e;
    }
    if (inst.status === 'active') return { institutionId: inst.id, signerAddress: inst.signerAddress };
    await recordPeerRefusal(writer, inst, peerId, now());
    return undefined;
  };
  const p2p = createRequestResponse({
    node,
    signer: keys.wallet,
    institutionId: options.institutionId,
    authorizePeer,
    nonceStore: store.nonces,
  });
  return new Connector({
    institutionId: options.institutionId,
    wallet: keys.wallet,
    store,
    ledger,
    node,
    p2p,
    writer,
    consortiumKey: options.consortiumKey,
    announce: options.announce ?? true,
    ...(options.now ? { now: options.now } : {}),
  });
}

/**
 * Records that this connector refused the peer of a known but inactive (e.g. suspended)
 * institution. At most one record per institution and minute (the outbox id), so a flood of
 * connections from it cannot flood the ledger.
 */
async function recordPeerRefusal(writer: LedgerWriter, inst: Institution, peerId: string, at: Date): Promise<void> {
  const minute = Math.floor(at.getTime() / 60_000);
  const refusal = {
    action: 'p2p:connect',
    code: 'CONN_PEER_UNAUTHORIZED',
    message: `peer ${peerId} of ${inst.status} institution ${inst.id} refused`,
    requester: inst.id,
  };
  await writer.record(`refusal:peer:${inst.id}:${minute}`, { name: 'audit:RecordRefusal', args: [JSON.stringify(refusal)] });
}
