import type { Checkpoint, CloseableAsyncIterable, ChaincodeEvent, LedgerClient } from '@xinlian/network';
import { errFields, type Logger } from '../logger.js';
import type { JsonCollection } from '../store/index.js';

const CHECKPOINT_KEY = 'events-checkpoint';
/**
 * The checkpoint is written at most this often (and with every revocation, and at stop).
 * Replaying events since an older checkpoint is harmless (revocations are idempotent), so
 * a crash costs only some re-reading — while a write per event was ~10 LevelDB writes per
 * transaction across a gateway's connectors.
 */
const CHECKPOINT_INTERVAL_MS = 1_000;

/** What the follower reads of the ledger: its height and the chaincode events (a {@link LedgerClient} serves). */
export type FollowedLedger = Pick<LedgerClient, 'getHeight' | 'chaincodeEvents'>;

export interface FollowerOptions {
  readonly logger?: Logger;
  /** First pause before following again after a failure (default 200 ms), doubled per failure. */
  readonly initialBackoffMs?: number;
  /** Longest pause between two attempts (default 30 s). */
  readonly maxBackoffMs?: number;
  /** Called for every event applied (after the revocation set is updated); its failures are logged, never fatal. */
  readonly onEvent?: (event: ChaincodeEvent) => void | Promise<void>;
}

/** What the follower is doing, for readiness and metrics. */
export interface FollowerStatus {
  /** Following now (false while waiting to follow again after a failure, or stopped). */
  readonly following: boolean;
  /** Times the stream failed or ended and was followed again. */
  readonly restarts: number;
  /** Block of the last event applied. */
  readonly lastBlock?: bigint;
  /** When the last event was applied (ms since epoch). */
  readonly lastEventAt?: number;
  /** The last failure, until an event is applied again. */
  readonly lastError?: string;
}

/**
 * Follows the ledger's chaincode events and keeps the set of revoked consents, so that a
 * consent revoked on the ledger stops further transfers at once, before any ledger read.
 * The position is checkpointed in the store: after a restart it resumes where it stopped.
 *
 * Supervised: a failing stream or store write is logged, and following starts again from
 * the last applied event after a back-off (doubling, capped), until {@link stop}. Its lag
 * (blocks behind the ledger's head) is {@link lag}.
 */
export class RevocationFollower {
  readonly #ledger: FollowedLedger;
  readonly #meta: JsonCollection<unknown>;
  readonly #log: Logger | undefined;
  readonly #options: FollowerOptions;
  readonly #revoked = new Set<string>();
  #events?: CloseableAsyncIterable<ChaincodeEvent>;
  #loop?: Promise<void>;
  #stopped = true;
  #wake?: () => void;
  /** The position of the last event applied, not yet written. */
  #position?: { blockNumber: string; transactionId: string };
  /** The position of the last event applied (written or not): where following resumes. */
  #applied?: Checkpoint;
  #savedAt = 0;
  #following = false;
  #restarts = 0;
  #lastEventAt?: number;
  #lastError?: string;

  constructor(ledger: FollowedLedger, meta: JsonCollection<unknown>, options: FollowerOptions = {}) {
    this.#ledger = ledger;
    this.#meta = meta;
    this.#log = options.logger;
    this.#options = options;
  }

  isRevoked(consentId: string): boolean {
    return this.#revoked.has(consentId);
  }

  status(): FollowerStatus {
    return {
      following: this.#following,
      restarts: this.#restarts,
      ...(this.#applied ? { lastBlock: this.#applied.blockNumber } : {}),
      ...(this.#lastEventAt !== undefined ? { lastEventAt: this.#lastEventAt } : {}),
      ...(this.#lastError !== undefined ? { lastError: this.#lastError } : {}),
    };
  }

  /**
   * How many blocks the follower is behind the ledger's head (blocks after the last applied
   * event; blocks without events count as behind until an event after them arrives).
   */
  async lag(): Promise<number> {
    const height = await this.#ledger.getHeight();
    const last = this.#applied?.blockNumber ?? -1n;
    const behind = height - 1n - last;
    return Number(behind > 0n ? behind : 0n);
  }

  /** Loads the known revocations and the checkpoint, and starts following (supervised). */
  async start(): Promise<void> {
    for await (const [key] of this.#meta.entries({ gte: 'revoked:', lt: 'revoked;' })) {
      this.#revoked.add(key.slice('revoked:'.length));
    }
    const stored = (await this.#meta.get(CHECKPOINT_KEY)) as { blockNumber: string; transactionId?: string } | undefined;
    if (stored) {
      this.#applied = { blockNumber: BigInt(stored.blockNumber), ...(stored.transactionId ? { transactionId: stored.transactionId } : {}) };
    }
    this.#stopped = false;
    this.#loop = this.#supervise();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#events?.close();
    this.#wake?.();
    await this.#loop;
    await this.#saveCheckpoint().catch((e: unknown) => this.#log?.error({ ...errFields(e) }, 'revocation checkpoint not saved at stop'));
  }

  async #supervise(): Promise<void> {
    let backoff = this.#options.initialBackoffMs ?? 200;
    const maxBackoff = this.#options.maxBackoffMs ?? 30_000;
    while (!this.#stopped) {
      const appliedBefore = this.#lastEventAt;
      try {
        await this.#follow();
        if (this.#stopped) break;
        this.#lastError = 'the event stream ended';
        this.#log?.warn({ restarts: this.#restarts + 1 }, 'revocation follower: event stream ended, following again');
      } catch (e) {
        this.#following = false;
        if (this.#stopped) break;
        this.#lastError = e instanceof Error ? e.message : String(e);
        this.#log?.error({ ...errFields(e), restarts: this.#restarts + 1, backoffMs: backoff }, 'revocation follower failed, following again');
      }
      this.#following = false;
      this.#restarts++;
      if (this.#lastEventAt !== appliedBefore) backoff = this.#options.initialBackoffMs ?? 200; // it made progress
      await this.#pause(backoff);
      backoff = Math.min(backoff * 2, maxBackoff);
    }
    this.#following = false;
  }

  async #follow(): Promise<void> {
    const checkpoint = this.#applied;
    const events = await this.#ledger.chaincodeEvents(checkpoint ? { checkpoint } : { startBlock: 0n });
    this.#events = events;
    if (this.#stopped) {
      events.close();
      return;
    }
    this.#following = true;
    this.#log?.info({ from: checkpoint ? checkpoint.blockNumber.toString() : '0' }, 'revocation follower following');
    try {
      for await (const event of events) await this.#apply(event);
    } finally {
      events.close();
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  async #apply(event: ChaincodeEvent): Promise<void> {
    let revocation = false;
    if (event.eventName === 'consent_revoked') {
      const consentId = consentIdOf(event.payload);
      if (consentId !== undefined) {
        this.#revoked.add(consentId);
        await this.#meta.put(`revoked:${consentId}`, true);
        revocation = true;
        this.#log?.info({ consentId, block: event.blockNumber.toString() }, 'consent revoked on the ledger');
      }
    }
    this.#applied = { blockNumber: event.blockNumber, transactionId: event.transactionId };
    this.#lastEventAt = Date.now();
    this.#lastError = undefined;
    this.#position = { blockNumber: event.blockNumber.toString(), transactionId: event.transactionId };
    if (revocation || Date.now() - this.#savedAt >= CHECKPOINT_INTERVAL_MS) await this.#saveCheckpoint();
    if (this.#options.onEvent) {
      try {
        await this.#options.onEvent(event);
      } catch (e) {
        this.#log?.error({ ...errFields(e), event: event.eventName }, 'event handler failed');
      }
    }
  }

  async #saveCheckpoint(): Promise<void> {
    if (!this.#position) return;
    const position = this.#position;
    this.#position = undefined;
    this.#savedAt = Date.now();
    await this.#meta.put(CHECKPOINT_KEY, position);
  }
}

/** The consent id of a `consent_revoked` payload; undefined when the payload is not one (never throws). */
function consentIdOf(payload: string): string | undefined {
  return stringField(payload, 'consentId');
}

/** A string field of an event's JSON payload; undefined when absent or the payload is not JSON (never throws). */
export function stringField(payload: string, field: string): string | undefined {
  try {
    const parsed = JSON.parse(payload) as unknown;
    const value = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[field] : undefined;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
