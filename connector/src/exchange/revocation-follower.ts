import type { Checkpoint, CloseableAsyncIterable, ChaincodeEvent, LedgerClient } from '@xinlian/network';
import type { JsonCollection } from '../store/index.js';

const CHECKPOINT_KEY = 'events-checkpoint';
/**
 * The checkpoint is written at most this often (and with every revocation, and at stop).
 * Replaying events since an older checkpoint is harmless (revocations are idempotent), so
 * a crash costs only some re-reading — while a write per event was ~10 LevelDB writes per
 * transaction across a gateway's connectors.
 */
const CHECKPOINT_INTERVAL_MS = 1_000;

/**
 * Follows the ledger's chaincode events and keeps the set of revoked consents, so that a
 * consent revoked on the ledger stops further transfers at once, before any ledger read.
 * The position is checkpointed in the store: after a restart it resumes where it stopped.
 */
export class RevocationFollower {
  readonly #ledger: LedgerClient;
  readonly #meta: JsonCollection<unknown>;
  readonly #revoked = new Set<string>();
  #events?: CloseableAsyncIterable<ChaincodeEvent>;
  #loop?: Promise<void>;
  /** The position of the last event applied, not yet written. */
  #position?: { blockNumber: string; transactionId: string };
  #savedAt = 0;

  constructor(ledger: LedgerClient, meta: JsonCollection<unknown>) {
    this.#ledger = ledger;
    this.#meta = meta;
  }

  isRevoked(consentId: string): boolean {
    return this.#revoked.has(consentId);
  }

  /** Loads the known revocations and starts following from the stored checkpoint. */
  async start(): Promise<void> {
    for await (const [key] of this.#meta.entries({ gte: 'revoked:', lt: 'revoked;' })) {
      this.#revoked.add(key.slice('revoked:'.length));
    }
    const stored = (await this.#meta.get(CHECKPOINT_KEY)) as { blockNumber: string; transactionId?: string } | undefined;
    const checkpoint: Checkpoint | undefined = stored
      ? { blockNumber: BigInt(stored.blockNumber), ...(stored.transactionId ? { transactionId: stored.transactionId } : {}) }
      : undefined;
    this.#events = await this.#ledger.chaincodeEvents(checkpoint ? { checkpoint } : { startBlock: 0n });
    const events = this.#events;
    this.#loop = (async () => {
      for await (const event of events) await this.#apply(event);
    })().catch(() => {
      // The stream ends with an error when the ledger closes; stop() handles the rest.
    });
  }

  async stop(): Promise<void> {
    this.#events?.close();
    await this.#loop;
    await this.#saveCheckpoint().catch(() => undefined);
  }

  async #apply(event: ChaincodeEvent): Promise<void> {
    let revocation = false;
    if (event.eventName === 'consent_revoked') {
      const consentId = consentIdOf(event.payload);
      if (consentId !== undefined) {
        this.#revoked.add(consentId);
        await this.#meta.put(`revoked:${consentId}`, true);
        revocation = true;
      }
    }
    this.#position = { blockNumber: event.blockNumber.toString(), transactionId: event.transactionId };
    if (revocation || Date.now() - this.#savedAt >= CHECKPOINT_INTERVAL_MS) await this.#saveCheckpoint();
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
  try {
    const parsed = JSON.parse(payload) as unknown;
    const id = typeof parsed === 'object' && parsed !== null ? (parsed as { consentId?: unknown }).consentId : undefined;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
