import { ChaincodeError, isChaincodeError } from '@xinlian/network';
import type { Outbox } from '../store/index.js';
import type { Committed, ConsortiumLedger } from './consortium-ledger.js';

/** A ledger write as kept in the outbox: a chaincode function and its arguments. */
export interface LedgerWrite {
  readonly name: string;
  readonly args: readonly string[];
}

interface WriteOutcome {
  readonly value?: unknown;
  readonly txId?: string;
  readonly blockNumber?: string;
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * Ledger writes that must not be lost: each is put in the outbox (durable) before it is
 * submitted, and marked done with its outcome after. After a crash, {@link drain} submits
 * what was left pending. Writes must be idempotent in the chaincode (a receipt recorded twice
 * returns the first), so a write that reached the ledger before the crash is harmless.
 */
export class LedgerWriter {
  readonly #outbox: Outbox;
  readonly #ledger: ConsortiumLedger;

  constructor(outbox: Outbox, ledger: ConsortiumLedger) {
    this.#outbox = outbox;
    this.#ledger = ledger;
  }

  /**
   * Writes durably, then submits. A chaincode refusal is final (the entry is done with the
   * error) and rethrown; a ledger outage leaves the entry pending for {@link drain} and is rethrown.
   */
  async write<T>(id: string, write: LedgerWrite): Promise<Committed<T>> {
    const entry = await this.#outbox.enqueue(id, write);
    if (entry.status === 'done') return replay<T>(entry.result as WriteOutcome);
    return this.#submit<T>(id, entry.item);
  }

  /** Submits every pending write, oldest first; returns how many completed. Never throws for one write. */
  async drain(): Promise<number> {
    let completed = 0;
    for (const entry of await this.#outbox.pending<LedgerWrite>(1000)) {
      try {
        await this.#submit(entry.id, entry.item);
        completed++;
      } catch {
        // Recorded on the entry by #submit; a later drain retries outages.
      }
    }
    return completed;
  }

  async #submit<T>(id: string, write: LedgerWrite): Promise<Committed<T>> {
    try {
      const r = await this.#ledger.client.submit(write.name, write.args);
      const committed = { value: JSON.parse(r.result) as T, txId: r.txId, blockNumber: r.blockNumber };
      await this.#outbox.markDone(id, {
        value: committed.value,
        txId: r.txId,
        blockNumber: r.blockNumber.toString(),
      } satisfies WriteOutcome);
      return committed;
    } catch (e) {
      if (isChaincodeError(e)) {
        await this.#outbox.markDone(id, { error: { code: e.code, message: e.message } } satisfies WriteOutcome);
      } else {
        await this.#outbox.markFailed(id, e instanceof Error ? e.message : String(e));
      }
      throw e;
    }
  }
}

function replay<T>(outcome: WriteOutcome): Committed<T> {
  if (outcome.error) {
    throw new ChaincodeError(outcome.error.code, outcome.error.message, { recorded: true });
  }
  return { value: outcome.value as T, txId: outcome.txId ?? '', blockNumber: BigInt(outcome.blockNumber ?? '0') };
}
