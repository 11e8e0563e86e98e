import type { Checkpoint, CloseableAsyncIterable, ChaincodeEvent, LedgerClient } from '@xinlian/network';
import type { JsonCollection } from '../store/index.js';

const CHECKPOINT_KEY = 'events-checkpoint';

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
  }

  async #apply(event: ChaincodeEvent): Promise<void> {
    if (event.eventName === 'consent_revoked') {
      const consentId = consentIdOf(event.payload);
      if (consentId !== undefined) {
        this.#revoked.add(consentId);
        await this.#meta.put(`revoked:${consentId}`, true);
      }
    }
    await this.#meta.put(CHECKPOINT_KEY, {
      blockNumber: event.blockNumber.toString(),
      transactionId: event.transactionId,
    });
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
