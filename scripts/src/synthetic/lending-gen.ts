import type { LendingRecord } from '@xinlian/connector';
import { between, int, type Random, sample } from './prng.js';
import { LENDER_IDS } from './reference-data.js';
import { DAY_MS, isoAt } from './time.js';

export interface LendingProfile {
  readonly asOfMs: number;
  readonly registeredMs: number;
  /** Typical loan size, CNY. */
  readonly loanSize: number;
  /** Chance that a due instalment turns into an overdue (and stops the schedule). */
  readonly overdueChance: number;
}

/** A working-hours instant on the day `daysAgo` days before asOf. */
function at(r: Random, p: LendingProfile, daysAgo: number): number {
  return p.asOfMs - daysAgo * DAY_MS + int(r, 1, 10) * 3_600_000 + int(r, 0, 59) * 60_000;
}

function round10k(x: number): number {
  return Math.max(50_000, Math.min(5_000_000, Math.round(x / 10_000) * 10_000));
}

/** One application at `lender` on day `daysAgo`, maybe approved, then quarterly instalments up to asOf. */
function applicationFlow(
  r: Random,
  p: LendingProfile,
  lender: string,
  daysAgo: number,
  approval: number,
): LendingRecord[] {
  const out: LendingRecord[] = [];
  const applied = at(r, p, daysAgo);
  const amount = round10k(p.loanSize * between(r, 0.6, 1.6));
  out.push({ lenderId: lender, type: 'application', amount, occurredAt: isoAt(applied) });
  if (r() >= approval) return out;
  const lent = applied + int(r, 1, 5) * DAY_MS;
  if (lent > p.asOfMs) return out;
  out.push({ lenderId: lender, type: 'loan', amount, occurredAt: isoAt(lent) });
  for (let q = 1; q <= 4; q++) {
    const due = lent + q * 90 * DAY_MS;
    if (due > p.asOfMs) break;
    if (r() < p.overdueChance) {
      // Reported three days after the missed due date, unless that is still to come.
      const reported = due + 3 * DAY_MS;
      if (reported <= p.asOfMs) {
        out.push({ lenderId: lender, type: 'overdue', amount: Math.round(amount / 4), occurredAt: isoAt(reported) });
      }
      break;
    }
    out.push({
      lenderId: lender,
      type: 'repayment',
      amount: Math.round(amount / 4),
      occurredAt: isoAt(due),
    });
    // The fourth instalment repays the loan in full.
    if (q === 4) out.push({ lenderId: lender, type: 'settled', amount, occurredAt: isoAt(due) });
  }
  return out;
}

const byTime = (a: LendingRecord, b: LendingRecord) =>
  a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0;

/** Ordinary history: 55 % of firms borrowed from one or two lenders over the last two years. */
export function ordinaryLending(r: Random, p: LendingProfile): LendingRecord[] {
  if (r() >= 0.55) return [];
  const maxDaysAgo = Math.min(720, Math.floor((p.asOfMs - p.registeredMs) / DAY_MS) - 1);
  if (maxDaysAgo < 1) return [];
  const lenders = sample(r, LENDER_IDS, r() < 0.7 ? 1 : 2);
  return lenders.flatMap((l) => applicationFlow(r, p, l, int(r, 1, maxDaysAgo), 0.85)).sort(byTime);
}

/** Multi-borrowing: 4–5 distinct lenders within a 1–6 day span ending in the last 25 days. */
export function multiBorrowing(r: Random, p: LendingProfile): LendingRecord[] {
  const lenders = sample(r, LENDER_IDS, int(r, 4, 5));
  const start = int(r, 7, 25);
  const span = int(r, 0, 5);
  return lenders
    .flatMap((l) => applicationFlow(r, p, l, start - int(r, 0, span), 0.35))
    .sort(byTime);
}

/** A ring member: two lenders within the ring's 7-day window. */
export function ringLending(
  r: Random,
  p: LendingProfile,
  windowStartDaysAgo: number,
): LendingRecord[] {
  const lenders = sample(r, LENDER_IDS, 2);
  return lenders
    .flatMap((l) => applicationFlow(r, p, l, windowStartDaysAgo - int(r, 0, 6), 0.5))
    .sort(byTime);
}
