import { RATE_WINDOW_MS } from '../policy/index.js';
import type { JsonCollection } from '../store/index.js';

interface UsageRecord {
  readonly count: number;
  /** Times (ms) of uses within the last rate window. */
  readonly recent: readonly number[];
}

export interface ContractUsage extends UsageRecord {
  /** Counts one use at `atMs` (durably). */
  record(atMs: number): Promise<void>;
}

/**
 * Uses made under each contract, for the policy's count and rate limits. Work on one
 * contract is serialised so that two concurrent transfers cannot both take the last use.
 */
export class UsageLedger {
  readonly #records: JsonCollection<UsageRecord>;
  readonly #tails = new Map<string, Promise<unknown>>();

  constructor(records: JsonCollection<UsageRecord>) {
    this.#records = records;
  }

  /** Runs `work` with the contract's usage, one at a time per contract. */
  withContract<T>(contractId: string, work: (usage: ContractUsage) => Promise<T>): Promise<T> {
    const previous = this.#tails.get(contractId) ?? Promise.resolve();
    const run = previous.then(async () => {
      const current = (await this.#records.get(contractId)) ?? { count: 0, recent: [] };
      return work({
        ...current,
        record: async (atMs) => {
          const recent = [...current.recent.filter((t) => t > atMs - RATE_WINDOW_MS), atMs];
          await this.#records.put(contractId, { count: current.count + 1, recent });
        },
      });
    });
    const tail = run.catch(() => undefined);
    this.#tails.set(contractId, tail);
    void tail.then(() => {
      if (this.#tails.get(contractId) === tail) this.#tails.delete(contractId);
    });
    return run;
  }
}
