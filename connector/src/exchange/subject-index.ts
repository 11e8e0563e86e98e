import type { EnterpriseRecord } from '../domain/index.js';
import type { LendingAttributes } from '../domain/index.js';
import { blindAttributes, subjectToken } from '../domain/index.js';
import type { JsonCollection } from '../store/index.js';

/**
 * Finds the institution's own enterprise record by subject token: requests from other
 * institutions name subjects only by their token, never by USCC.
 */
export class SubjectIndex {
  readonly #tokens: JsonCollection<string>;
  readonly #enterprises: JsonCollection<EnterpriseRecord>;
  readonly #consortiumKey: Uint8Array | string;

  constructor(
    tokens: JsonCollection<string>,
    enterprises: JsonCollection<EnterpriseRecord>,
    consortiumKey: Uint8Array | string,
  ) {
    this.#tokens = tokens;
    this.#enterprises = enterprises;
    this.#consortiumKey = consortiumKey;
  }

  /** The subject token of a USCC under the consortium key. */
  tokenOf(uscc: string): string {
    return subjectToken(uscc, this.#consortiumKey);
  }

  /** A lending application's identifiers blinded under the consortium key (kind in the input). */
  blindAttributes(attributes: LendingAttributes): LendingAttributes {
    return blindAttributes(attributes, this.#consortiumKey);
  }

  /** Indexes every enterprise in the store (after a bulk import); returns how many. */
  async reindex(onProgress?: (done: number) => void): Promise<number> {
    let done = 0;
    let batch: [string, string][] = [];
    for await (const [uscc] of this.#enterprises.entries()) {
      batch.push([this.tokenOf(uscc), uscc]);
      if (batch.length === 1000) {
        await this.#tokens.putMany(batch);
        done += batch.length;
        batch = [];
        onProgress?.(done);
      }
    }
    if (batch.length) await this.#tokens.putMany(batch);
    done += batch.length;
    onProgress?.(done);
    return done;
  }

  async enterpriseOf(token: string): Promise<EnterpriseRecord | undefined> {
    const uscc = await this.#tokens.get(token);
    return uscc === undefined ? undefined : this.#enterprises.get(uscc);
  }
}
