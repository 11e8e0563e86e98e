import { randomUUID } from 'node:crypto';
import type { CheckResult } from '@xinlian/chaincode';
import type { LendingEventType } from '../domain/index.js';
import type { SubjectIndex } from '../exchange/subject-index.js';
import type { ConsortiumLedger } from './consortium-ledger.js';

/** A lending event as a lender knows it: by USCC (blinded before it reaches the ledger). */
export interface LendingEventByUscc {
  readonly uscc: string;
  readonly type: LendingEventType | 'settled' | 'rejected';
  /** Integer, fen. */
  readonly amount?: number;
  /** ISO-8601 UTC. */
  readonly occurredAt: string;
}

/** A recorded multi-lending check and its result. */
export interface MultiLendingCheck extends CheckResult {
  /** Transaction that recorded the check request. */
  readonly txId: string;
}

/**
 * Multi-lending on the ledger for a lender: turns USCCs into subject tokens with the
 * consortium key (the USCC and the key never reach the ledger), reports lending events and
 * runs recorded checks (request committed first, result read after, as the chaincode requires).
 */
export class MultiLending {
  readonly #ledger: ConsortiumLedger;
  readonly #subjects: SubjectIndex;

  constructor(ledger: ConsortiumLedger, subjects: SubjectIndex) {
    this.#ledger = ledger;
    this.#subjects = subjects;
  }

  /**
   * Reports events (all or nothing, at most the chaincode's batch limit).
   * @throws ChaincodeError (`CC_BAD_REQUEST`, `CC_FORBIDDEN` for a non-lender, …), LedgerError.
   */
  async record(events: readonly LendingEventByUscc[]): Promise<{ accepted: number; txId: string }> {
    const committed = await this.#ledger.recordLendingEvents(
      events.map((e) => ({
        subjectToken: this.#subjects.tokenOf(e.uscc),
        type: e.type,
        ...(e.amount !== undefined ? { amount: e.amount } : {}),
        occurredAt: e.occurredAt,
      })),
    );
    return { accepted: committed.value.accepted, txId: committed.txId };
  }

  /**
   * Records a check on the enterprise under its pre-loan consent, then reads the counts
   * (other lenders' activity per window; never their names).
   * @throws ChaincodeError (`CC_CONSENT_*` when the consent does not allow it, recorded as a
   *   denial; `CC_FORBIDDEN`), LedgerError.
   */
  async check(uscc: string, consentId: string, checkId = `chk-${randomUUID()}`): Promise<MultiLendingCheck> {
    const request = await this.#ledger.requestCheck(checkId, this.#subjects.tokenOf(uscc), consentId);
    const result = await this.#ledger.getCheckResult(checkId);
    return { ...result, txId: request.txId };
  }
}
