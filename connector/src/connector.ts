import './polyfills.js';
import { join } from 'node:path';
import type { Libp2p } from '@libp2p/interface';
import { isCodedError, type Institution } from '@xinlian/chaincode';
import type { ChaincodeEvent, EventsOptions, LedgerClient } from '@xinlian/network';
import type { Wallet } from 'ethers';
import { ConsortiumLedger } from './chain/consortium-ledger.js';
import { LedgerWriter, type OutboxHealth } from './chain/ledger-writer.js';
import { MultiLending, type LendingBatchOutcome, type LendingEventByUscc } from './chain/multi-lending.js';
import { ConsumerService } from './exchange/consumer.js';
import { ProviderService } from './exchange/provider.js';
import { RevocationFollower, stringField, type FollowerStatus } from './exchange/revocation-follower.js';
import { defaultLogger, errFields, type Logger } from './logger.js';
import { SubjectIndex } from './exchange/subject-index.js';
import { RING_CHECK_PROTOCOL, RingService } from './rings/ring-service.js';
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
  /** The host's logger (default: pino JSON lines on stdout); the connector logs through a child per institution. */
  readonly logger?: Logger;
  /** Back-off of the revocation follower after a failure (default 200 ms doubling to 30 s). */
  readonly followerBackoffMs?: { readonly initial: number; readonly max: number };
}

/** What `connector.readiness()` answers (the gateway's /readyz). */
export interface ConnectorReadiness {
  readonly ready: boolean;
  readonly checks: {
    /** The libp2p node is started, listens, and serves the exchange protocols. */
    readonly p2p: boolean;
    /** The ledger answers (its height). */
    readonly ledger: boolean;
    /** No ledger write has been pending longer than OUTBOX_STALL_MS. */
    readonly outbox: boolean;
  };
  /** Details for operators (not part of the verdict). */
  readonly details: {
    readonly outbox?: OutboxHealth;
    readonly follower: FollowerStatus & { readonly lagBlocks?: number };
    /** The endpoint announcement: `announced`, `refused` (e.g. suspended: re-announced on reinstatement), `off`. */
    readonly endpoint: 'announced' | 'refused' | 'pending' | 'off';
    readonly errors?: Readonly<Record<string, string>>;
  };
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
  /** Fraud-ring checks: asked as a lender, answered as a provider. */
  readonly rings: RingService;
  /** The signed request/response service (for protocols beyond the built-in exchanges). */
  readonly p2p: RequestResponseService;
  /** This institution's logger (child of the host's, with `institution`). */
  readonly logger: Logger;
  readonly #node: Libp2p;
  readonly #follower: RevocationFollower;
  readonly #announce: boolean;
  #endpoint: 'announced' | 'refused' | 'pending' | 'off';
  #started = false;

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
    logger: Logger;
    followerBackoffMs?: { readonly initial: number; readonly max: number };
  }) {
    this.institutionId = parts.institutionId;
    this.wallet = parts.wallet;
    this.store = parts.store;
    this.ledger = parts.ledger;
    this.#node = parts.node;
    this.p2p = parts.p2p;
    this.#announce = parts.announce;
    this.#endpoint = parts.announce ? 'pending' : 'off';
    this.logger = parts.logger;
    this.writer = parts.writer;
    this.subjects = new SubjectIndex(parts.store.subjectTokens, parts.store.enterprises, parts.consortiumKey);
    this.lending = new MultiLending(parts.ledger, this.subjects);
    this.rings = new RingService({
      institutionId: parts.institutionId,
      ledger: parts.ledger,
      writer: parts.writer,
      p2p: parts.p2p,
      store: parts.store,
      subjects: this.subjects,
      now: parts.now ?? (() => new Date()),
      logger: parts.logger.child({ component: 'rings' }),
    });
    const ledger = parts.ledger;
    const events = { getHeight: async () => BigInt(await ledger.height()), chaincodeEvents: (o?: EventsOptions) => ledger.chaincodeEvents(o) };
    this.#follower = new RevocationFollower(events, parts.store.meta, {
      logger: parts.logger.child({ component: 'revocation-follower' }),
      onEvent: (event) => this.#onLedgerEvent(event),
      ...(parts.followerBackoffMs ? { initialBackoffMs: parts.followerBackoffMs.initial, maxBackoffMs: parts.followerBackoffMs.max } : {}),
    });
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
      logger: parts.logger.child({ component: 'provider' }),
      ...now,
    });
    this.consumer = new ConsumerService({
      institutionId: parts.institutionId,
      wallet: parts.wallet,
      ledger: parts.ledger,
      store: parts.store,
      p2p: parts.p2p,
      logger: parts.logger.child({ component: 'consumer' }),
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
    await this.p2p.handle(RING_CHECK_PROTOCOL, (body, ctx) => this.rings.answer(body, ctx));
    await this.p2p.start();
    this.rings.warm();
    this.#started = true;
    await this.#follower.start();
    await this.#announceEndpoint();
    await this.writer.drain();
    this.writer.start();
    await this.consumer.resume();
    this.logger.info({ peerId: this.endpoint.peerId, endpoint: this.#endpoint }, 'connector started');
  }

  /**
   * Reports lending events under `batchId` (the gateway derives it from the Idempotency-Key):
   * recorded once; the same batch again answers the first result with `replayed: true`.
   * @throws ChaincodeError (`CC_CONFLICT`, `CC_LENDING_SEQUENCE`, `CC_BAD_REQUEST`, …), LedgerError.
   */
  async recordLendingEvents(batchId: string, events: readonly LendingEventByUscc[]): Promise<LendingBatchOutcome> {
    const outcome = await this.lending.record(batchId, events);
    this.logger.info({ batchId, accepted: outcome.accepted, replayed: outcome.replayed, txId: outcome.txId }, 'lending events recorded');
    return outcome;
  }

  /** Whether this connector can serve: libp2p up and serving, the ledger answering, the outbox draining. */
  async readiness(): Promise<ConnectorReadiness> {
    const errors: Record<string, string> = {};
    const p2p = this.#started && this.#node.status === 'started' && nodeAddresses(this.#node).length > 0;
    const [ledger, outbox, lag] = await Promise.all([
      this.ledger.height().then(
        () => true,
        (e: unknown) => {
          errors['ledger'] = messageOf(e);
          return false;
        },
      ),
      this.writer.health().catch((e: unknown) => {
        errors['outbox'] = messageOf(e);
        return undefined;
      }),
      this.#follower.lag().catch((e: unknown) => {
        errors['follower'] = messageOf(e);
        return undefined;
      }),
    ]);
    const checks = { p2p, ledger, outbox: outbox?.draining ?? false };
    return {
      ready: checks.p2p && checks.ledger && checks.outbox,
      checks,
      details: {
        ...(outbox ? { outbox } : {}),
        follower: { ...this.#follower.status(), ...(lag !== undefined ? { lagBlocks: lag } : {}) },
        endpoint: this.#endpoint,
        ...(Object.keys(errors).length > 0 ? { errors } : {}),
      },
    };
  }

  /** The revocation follower's state and lag (blocks behind the head), for metrics. */
  async followerStatus(): Promise<FollowerStatus & { lagBlocks: number }> {
    return { ...this.#follower.status(), lagBlocks: await this.#follower.lag() };
  }

  /**
   * Publishes the peer id and addresses on the ledger. A suspended institution is refused
   * (`CC_INSTITUTION_SUSPENDED`): the connector starts anyway, logs it, and announces again
   * when the ledger says it was reinstated.
   */
  async #announceEndpoint(): Promise<void> {
    if (!this.#announce) return;
    const { peerId, addresses } = this.endpoint;
    try {
      await this.ledger.updateEndpoint(peerId, addresses.map((a) => a.replace(/\/p2p\/.*$/, '')));
      this.#endpoint = 'announced';
      this.logger.info({ peerId }, 'endpoint announced on the ledger');
    } catch (e) {
      if (!isCodedError(e, 'CC_INSTITUTION_SUSPENDED')) throw e;
      this.#endpoint = 'refused';
      this.writer.pause();
      this.logger.warn({ ...errFields(e) }, 'endpoint not announced: this institution is suspended; it will be announced on reinstatement');
    }
  }

  /** This institution's suspension pauses its outbox; its reinstatement resumes it and announces the endpoint if it was refused. */
  async #onLedgerEvent(event: ChaincodeEvent): Promise<void> {
    if (!this.#started || stringField(event.payload, 'id') !== this.institutionId) return;
    if (event.eventName === 'institution_suspended') {
      this.writer.pause();
      return;
    }
    if (event.eventName !== 'institution_reinstated') return;
    this.logger.info({ block: event.blockNumber.toString() }, 'this institution was reinstated');
    if (this.#endpoint === 'refused') await this.#announceEndpoint();
    if (this.writer.paused) {
      this.writer.resume();
      this.writer.drain().catch((e: unknown) => this.logger.error({ ...errFields(e) }, 'outbox drain after reinstatement failed'));
    }
  }

  /** Stops serving and following, and closes the store; unfinished ledger writes stay in the outbox. */
  async stop(): Promise<void> {
    this.#started = false;
    this.writer.stop();
    await this.#follower.stop();
    await this.p2p.stop();
    await this.#node.stop();
    await this.store.close();
    this.logger.info('connector stopped');
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Opens the store and keys in `dataDir` (creating them on first start) and starts a libp2p
 * node. Call {@link Connector.start} once the institution is admitted on the ledger.
 */
export async function createConnector(options: Readonly<ConnectorOptions>): Promise<Connector> {
  const keys = await loadOrCreateInstitutionKeys(join(options.dataDir, 'keys'));
  const store = await openStore({ dataDir: options.dataDir });
  const ledger = new ConsortiumLedger(options.ledger);
  const logger = (options.logger ?? defaultLogger()).child({ institution: options.institutionId });
  const node = await createP2PNode({
    privateKey: keys.libp2pPrivateKey,
    listen: [...(options.listen ?? ['/ip4/127.0.0.1/tcp/0'])],
  });
  const now = options.now ?? (() => new Date());
  const writer = new LedgerWriter(store.outbox, ledger, { logger: logger.child({ component: 'ledger-writer' }), now: () => now().getTime() });
  const authorizePeer: AuthorizePeer = async (peerId) => {
    let inst: Institution;
    try {
      inst = await ledger.resolvePeer(peerId);
    } catch (e) {
      if (isCodedError(e, 'CC_NOT_FOUND')) return undefined; // not a member: refused without a record
      throw e;
    }
    if (inst.status === 'active') return { institutionId: inst.id, signerAddress: inst.signerAddress };
    logger.info({ component: 'p2p', peerId, requester: inst.id, status: inst.status }, 'peer of an inactive institution refused');
    await recordPeerRefusal(writer, inst, peerId, now());
    return undefined;
  };
  const p2p = createRequestResponse({
    node,
    signer: keys.wallet,
    institutionId: options.institutionId,
    authorizePeer,
    nonceStore: store.nonces,
    logger: logger.child({ component: 'p2p' }),
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
    logger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.followerBackoffMs ? { followerBackoffMs: options.followerBackoffMs } : {}),
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
  await writer.record(`refusal:peer:${inst.id}:${minute}`, { name: 'audit:RecordRefusals', args: [JSON.stringify([refusal])] });
}
