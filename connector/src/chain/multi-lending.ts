import { randomUUID } from 'node:crypto';
import type { CheckResult } from '@xinlian/chaincode';
import type { LendingEventType } from '@xinlian/chaincode';
import type { LendingAttributes } from '../domain/index.js';
import type { SubjectIndex } from '../exchange/subject-index.js';
import type { ConsortiumLedger } from './consortium-ledger.js';

/** A lending event as a lender knows it: by USCC (blinded before it reaches the ledger). */
export interface LendingEventByUscc {
  readonly uscc: string;
  readonly type: LendingEventType;
  /** Integer, fen. */
  readonly amount?: number;
  /** ISO-8601 UTC. */
  readonly occurredAt: string;
  /** On an application only: identifiers in plain form, blinded before they leave the connector. */
  readonly attributes?: LendingAttributes;
}

/** What recording a lending batch answered (the first answer again for a replayed batch). */
export interface LendingBatchOutcome {
  readonly accepted: number;
  readonly batchId: string;
  /** The transaction that recorded the batch (the first one, for a replay). */
  readonly txId: string;
  /** True when the batch had been recorded before: nothing was recorded now. */
  readonly replayed: boolean;
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
   * Reports a batch of events (all or nothing, at most the chaincode's batch limit) once per
   * `batchId`: the same batch again answers the first result (`replayed: true`) and counts
   * nothing; other events under a used id are refused with `CC_CONFLICT`.
   * @throws ChaincodeError (`CC_BAD_REQUEST`, `CC_FORBIDDEN` for a non-lender, `CC_CONFLICT`,
   *   `CC_LENDING_SEQUENCE` when an event does not follow the lender's own lifecycle), LedgerError.
   */
  async record(batchId: string, events: readonly LendingEventByUscc[]): Promise<LendingBatchOutcome> {
    const committed = await this.#ledger.recordLending(
      batchId,
      events.map((e) => ({
        subjectToken: this.#subjects.tokenOf(e.uscc),
        type: e.type,
        ...(e.amount !== undefined ? { amount: e.amount } : {}),
        occurredAt: e.occurredAt,
        ...(e.attributes !== undefined ? { attributes: this.#subjects.blindAttributes(e.attributes) } : {}),
      })),
    );
    const { accepted, replayed, txId } = committed.value;
    return { accepted, batchId, replayed, txId: txId || committed.txId };
  }

  /**
   * Records a check on the enterprise under its consent (pre_loan, in_loan, post_loan or
   * guarantee; the purpose is recorded with it), then reads the answer: other lenders'
   * activity per window, debt, velocity, the caller's own activity apart — never their names.
   * A `checkId` already used for the same enterprise and consent answers the first check
   * (its txId; nothing recorded again) while the result is readable (15 minutes).
   * @throws ChaincodeError (`CC_CONSENT_*` when the consent does not allow it, recorded as a
   *   denial; `CC_FORBIDDEN`; `CC_CONFLICT` for a checkId used otherwise; `CC_CHECK_EXPIRED`
   *   for a replay after 15 minutes), LedgerError.
   */
  async check(uscc: string, consentId: string, checkId = `chk-${randomUUID()}`): Promise<MultiLendingCheck> {
    const request = await this.#ledger.requestCheck(checkId, this.#subjects.tokenOf(uscc), consentId);
    const first = (request.value as { readonly txId?: string }).txId;
    const result = await this.#ledger.getCheckResult(checkId);
    return { ...result, txId: first || request.txId };
  }
}
