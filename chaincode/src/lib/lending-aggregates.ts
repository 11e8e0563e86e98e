import type { Role } from '../constants.js';
import type { LendingEventType } from '../constants.js';
import type { Tx } from './tx.js';

/**
 * Per-subject aggregates written by `lending:Record` so that a multi-lending check reads a
 * bounded number of keys whatever the length of the subject's history:
 *
 * - `lending-day~<subjectToken>~<YYYY-MM-DD>~<lender>` — one lender's events with the subject
 *   on one UTC day (by `occurredAt`): the times of its applications, loans and rejections. A
 *   check reads the days of its longest window (365 days) only.
 * - `lending-sum~<subjectToken>~<lender>` — one lender's running state with the subject: the
 *   lifecycle counters `lending:Record` enforces, outstanding amount, first and last
 *   application, overdue. A check reads one per lender.
 *
 * Keys are per lender, so two lenders reporting on the same subject never write the same key
 * (no MVCC conflict between them); only a lender's own batches read-modify-write its keys.
 */

/** The lender types a check splits counts by. */
export const LENDER_TYPES = ['bank', 'microlender', 'guarantor', 'other'] as const;
export type LenderType = (typeof LENDER_TYPES)[number];

/** An institution's lender type: bank before microlender before guarantor; else other. */
export function lenderTypeOf(roles: readonly Role[]): LenderType {
  for (const t of ['bank', 'microlender', 'guarantor'] as const) if (roles.includes(t)) return t;
  return 'other';
}

/** One lender's events with one subject on one UTC day; times are ms since the epoch, ascending. */
export interface LendingDay {
  lender: string;
  lenderType: LenderType;
  day: string;
  applications: number[];
  loans: number[];
  rejections: number[];
}

/** One lender's running state with one subject (lifecycle + what a check needs beyond a year). */
export interface LendingSummary {
  lender: string;
  lenderType: LenderType;
  subjectToken: string;
  /** Applications not yet turned into a loan or rejected. */
  openApplications: number;
  /** Loans not yet settled. */
  openLoans: number;
  /**
   * Fen still owed: loan amounts less repayment amounts (never below 0); 0 once the lender's
   * last open loan is settled. A loan or repayment without an amount counts 0.
   */
  outstanding: number;
  /** Earliest and latest application (ISO), by `occurredAt`. */
  firstApplicationAt?: string;
  lastApplicationAt?: string;
  /** Latest overdue while a loan stays open; cleared when the last open loan is settled. */
  overdueAt?: string;
  /** Latest overdue ever (for the five-year count); never cleared. */
  lastOverdueAt?: string;
  updatedAt: string;
}

/** `lending-day~<subjectToken>~<day>~<lender>`. */
export function lendingDayKey(subjectToken: string, day: string, lender: string): string {
  return `lending-day~${subjectToken}~${day}~${lender}`;
}

/** Range [start, end) of a subject's day buckets from `fromDay` to `toDay` inclusive. */
export function lendingDayRange(subjectToken: string, fromDay: string, toDay: string): [string, string] {
  return [`lending-day~${subjectToken}~${fromDay}~`, `lending-day~${subjectToken}~${toDay}~~`];
}

/** `lending-sum~<subjectToken>~<lender>`. */
export function lendingSummaryKey(subjectToken: string, lender: string): string {
  return `lending-sum~${subjectToken}~${lender}`;
}

/** Range [start, end) of all lender summaries of a subject. */
export function lendingSummaryRange(subjectToken: string): [string, string] {
  return [`lending-sum~${subjectToken}~`, `lending-sum~${subjectToken}~~`];
}

/** UTC day (`YYYY-MM-DD`) of a time in ms. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

interface Applied {
  subjectToken: string;
  type: LendingEventType;
  amount?: number;
  occurredAt: string;
}

/**
 * The aggregates one batch of a lender touches, each read once and written back once.
 * `summary()` also serves the lifecycle check (it holds the open applications and loans).
 */
export class LendingAggregates {
  readonly #tx: Tx;
  readonly #lender: string;
  readonly #lenderType: LenderType;
  readonly #summaries = new Map<string, LendingSummary>();
  readonly #days = new Map<string, LendingDay>();

  constructor(tx: Tx, lender: string, lenderType: LenderType) {
    this.#tx = tx;
    this.#lender = lender;
    this.#lenderType = lenderType;
  }

  /** The lender's state with a subject (read from the ledger the first time). */
  async summary(subjectToken: string): Promise<LendingSummary> {
    let s = this.#summaries.get(subjectToken);
    if (!s) {
      s = (await this.#tx.get<LendingSummary>(lendingSummaryKey(subjectToken, this.#lender))) ?? {
        lender: this.#lender,
        lenderType: this.#lenderType,
        subjectToken,
        openApplications: 0,
        openLoans: 0,
        outstanding: 0,
        updatedAt: this.#tx.nowIso,
      };
      this.#summaries.set(subjectToken, s);
    }
    return s;
  }

  /**
   * Adds an event, already accepted by the lifecycle (the summary's counters moved), to the
   * summary's amounts, applications and overdue, and to its day bucket.
   */
  async add(e: Applied): Promise<void> {
    const s = await this.summary(e.subjectToken);
    const at = e.occurredAt;
    switch (e.type) {
      case 'application':
        if (s.firstApplicationAt === undefined || at < s.firstApplicationAt) s.firstApplicationAt = at;
        if (s.lastApplicationAt === undefined || at > s.lastApplicationAt) s.lastApplicationAt = at;
        break;
      case 'loan':
        s.outstanding += e.amount ?? 0;
        break;
      case 'repayment':
        s.outstanding = Math.max(0, s.outstanding - (e.amount ?? 0));
        break;
      case 'overdue':
        if (s.overdueAt === undefined || at > s.overdueAt) s.overdueAt = at;
        if (s.lastOverdueAt === undefined || at > s.lastOverdueAt) s.lastOverdueAt = at;
        break;
      case 'settled':
        if (s.openLoans === 0) {
          s.outstanding = 0;
          delete s.overdueAt;
        }
        break;
      case 'rejected':
        break;
    }
    s.updatedAt = this.#tx.nowIso;
    if (e.type === 'application' || e.type === 'loan' || e.type === 'rejected') {
      const ms = Date.parse(at);
      const bucket = await this.#day(e.subjectToken, utcDay(ms));
      const list = e.type === 'application' ? bucket.applications : e.type === 'loan' ? bucket.loans : bucket.rejections;
      list.push(ms);
      list.sort((a, b) => a - b);
    }
  }

  /** Buffers every touched summary and day bucket. */
  write(): void {
    for (const s of this.#summaries.values()) this.#tx.put(lendingSummaryKey(s.subjectToken, s.lender), s);
    for (const [key, d] of this.#days) this.#tx.put(key, d);
  }

  async #day(subjectToken: string, day: string): Promise<LendingDay> {
    const key = lendingDayKey(subjectToken, day, this.#lender);
    let d = this.#days.get(key);
    if (!d) {
      d = (await this.#tx.get<LendingDay>(key)) ?? { lender: this.#lender, lenderType: this.#lenderType, day, applications: [], loans: [], rejections: [] };
      this.#days.set(key, d);
    }
    return d;
  }
}
