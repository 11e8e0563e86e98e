import { CHECK_WINDOWS_DAYS } from '../constants.js';
import type { CheckReason, CheckRequest, CheckResult, CheckWindow, CheckWindowName } from '../records.js';
import { LENDER_TYPES, type LendingDay, type LendingSummary } from './lending-aggregates.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Negative records count for five years (credit reporting regulation, Art 16). */
const OVERDUE_YEARS = 5;
/** The v1 alert: this many other institutions applying within 30 days … */
const ALERT_INSTITUTIONS_30D = 3;
/** … or another institution's overdue within this many days, its loans not settled since. */
const OVERDUE_DAYS = 90;

/** Reason codes explaining `alert`. */
export const CHECK_REASONS: Readonly<Record<'applications30d' | 'overdue90d', CheckReason>> = {
  /** ≥ 3 other institutions received applications within 30 days. */
  applications30d: 'MULTI_APPLICATION_30D',
  /** Another institution recorded an overdue within 90 days, not settled since. */
  overdue90d: 'OVERDUE_OTHER_90D',
};

/** Start (ms) of the time five calendar years before `at`. */
function yearsBefore(at: number, years: number): number {
  const d = new Date(at);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.getTime();
}

/**
 * Computes a multi-lending check result from a subject's aggregates: the day buckets of its
 * longest window (`days`, any order) and one summary per lender (`summaries`). Reads nothing
 * else, so its cost does not grow with the subject's history beyond a year.
 *
 * Everything but `self` is over institutions other than the requester; no institution is named.
 * - windows: events by `occurredAt` in (requestedAt − N days, requestedAt] — applications and
 *   distinct applying institutions, loans, rejections, and applications/institutions by lender type;
 * - overdueInstitutions: lenders whose latest overdue is within 90 days with a loan still open;
 * - openLoans: other lenders' loans not settled; debt: the same, with lenders and outstanding fen;
 * - overdueInstitutions5y: lenders with an overdue dated within five years (older never counts);
 * - velocity: over other lenders' applications at or before requestedAt (null without any);
 * - self: the requester's own applications in 365 days and open loans;
 * - alert: 30-day institutions ≥ 3 or overdueInstitutions ≥ 1; `reasons` says which.
 * State fields (open loans, debt, overdue) are each lender's lifecycle as recorded when read.
 */
export function computeCheckResult(request: CheckRequest, days: readonly LendingDay[], summaries: readonly LendingSummary[]): CheckResult {
  const at = Date.parse(request.requestedAt);
  const me = request.requester;
  const inWindow = (t: number, n: number) => t <= at && t > at - n * DAY_MS;

  const windows = {} as Record<CheckWindowName, CheckWindow>;
  for (const n of CHECK_WINDOWS_DAYS) {
    const institutions = new Set<string>();
    const byType = Object.fromEntries(LENDER_TYPES.map((t) => [t, { institutions: new Set<string>(), applications: 0 }]));
    let applications = 0;
    let loans = 0;
    let rejections = 0;
    for (const d of days) {
      if (d.lender === me) continue;
      const apps = d.applications.filter((t) => inWindow(t, n)).length;
      if (apps > 0) {
        applications += apps;
        institutions.add(d.lender);
        const split = byType[d.lenderType] ?? byType['other']!;
        split.applications += apps;
        split.institutions.add(d.lender);
      }
      loans += d.loans.filter((t) => inWindow(t, n)).length;
      rejections += d.rejections.filter((t) => inWindow(t, n)).length;
    }
    windows[`${n}d`] = {
      institutions: institutions.size,
      applications,
      loans,
      rejections,
      byLenderType: {
        bank: { institutions: byType['bank']!.institutions.size, applications: byType['bank']!.applications },
        microlender: { institutions: byType['microlender']!.institutions.size, applications: byType['microlender']!.applications },
        guarantor: { institutions: byType['guarantor']!.institutions.size, applications: byType['guarantor']!.applications },
        other: { institutions: byType['other']!.institutions.size, applications: byType['other']!.applications },
      },
    };
  }

  const others = summaries.filter((s) => s.lender !== me);
  const mine = summaries.find((s) => s.lender === me);
  const from90 = at - OVERDUE_DAYS * DAY_MS;
  const from5y = yearsBefore(at, OVERDUE_YEARS);
  const overdueInstitutions = others.filter((s) => s.overdueAt !== undefined && Date.parse(s.overdueAt) > from90 && Date.parse(s.overdueAt) <= at).length;
  const overdueInstitutions5y = others.filter((s) => s.lastOverdueAt !== undefined && Date.parse(s.lastOverdueAt) > from5y && Date.parse(s.lastOverdueAt) <= at).length;
  const indebted = others.filter((s) => s.openLoans > 0);
  const openLoans = indebted.reduce((sum, s) => sum + s.openLoans, 0);

  const reasons: CheckResult['reasons'] = [];
  if (windows['30d'].institutions >= ALERT_INSTITUTIONS_30D) reasons.push(CHECK_REASONS.applications30d);
  if (overdueInstitutions >= 1) reasons.push(CHECK_REASONS.overdue90d);

  return {
    checkId: request.checkId,
    requestedAt: request.requestedAt,
    purpose: request.purpose ?? 'pre_loan',
    windows,
    overdueInstitutions,
    overdueInstitutions5y,
    openLoans,
    debt: { lenders: indebted.length, openLoans, outstandingAmount: indebted.reduce((sum, s) => sum + s.outstanding, 0) },
    velocity: velocity(at, me, days, others),
    self: {
      applications365d: days.filter((d) => d.lender === me).reduce((sum, d) => sum + d.applications.filter((t) => inWindow(t, 365)).length, 0),
      openLoans: mine?.openLoans ?? 0,
    },
    reasons,
    alert: reasons.length > 0,
    disputed: 0,
  };
}

/** Velocity over other lenders' applications at or before `at`; null without any. */
function velocity(at: number, me: string, days: readonly LendingDay[], others: readonly LendingSummary[]): CheckResult['velocity'] {
  const firsts = others.map((s) => (s.firstApplicationAt !== undefined ? Date.parse(s.firstApplicationAt) : NaN)).filter((t) => t <= at);
  if (firsts.length === 0) return null;
  const first = Math.min(...firsts);
  // The year's applications are in the buckets; older ones only as each lender's latest.
  const times = days
    .filter((d) => d.lender !== me)
    .flatMap((d) => d.applications)
    .filter((t) => t <= at && t > at - 365 * DAY_MS)
    .sort((a, b) => a - b);
  // Per lender, its latest application at or before `at`; when the latest came after (reported
  // between the request and the read), the latest known before it is its first.
  const olderLasts = others
    .map((s) => {
      const last = s.lastApplicationAt !== undefined ? Date.parse(s.lastApplicationAt) : NaN;
      return last <= at ? last : s.firstApplicationAt !== undefined ? Date.parse(s.firstApplicationAt) : NaN;
    })
    .filter((t) => t <= at);
  const last = times.length > 0 ? times[times.length - 1]! : Math.max(...olderLasts);
  const months = new Set(times.map((t) => Math.floor((at - t) / (30 * DAY_MS))).filter((k) => k < 12));
  let max24h = 0;
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j]! - times[i]! >= DAY_MS) i++;
    max24h = Math.max(max24h, j - i + 1);
  }
  return {
    daysSinceLastApplication: Math.floor((at - last) / DAY_MS),
    daysSinceFirstApplication: Math.floor((at - first) / DAY_MS),
    monthsWithApplications12m: months.size,
    maxApplicationsIn24h: max24h,
  };
}
