import { CHECK_WINDOWS_DAYS } from '../constants.js';
import type { CheckRequest, CheckResult, CheckWindow, LendingEvent } from '../records.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Computes a multi-lending check result from a subject's lending events (in key order:
 * by `occurredAt`, then tx and index). Only events of institutions other than the
 * requester, occurring at or before the request time, count; no institution is named.
 *
 * - windows: applications and distinct applying institutions in (requestedAt − N days, requestedAt]
 * - overdueInstitutions: institutions with an `overdue` in the last 90 days and open loans since
 * - openLoans: `loan` events less the later `settled` events of the same institution (one each)
 * - alert: 30-day institutions ≥ 3, or any overdue institution
 */
export function computeCheckResult(request: CheckRequest, events: readonly LendingEvent[]): CheckResult {
  const at = Date.parse(request.requestedAt);
  const others = events.filter((e) => e.institution !== request.requester && Date.parse(e.occurredAt) <= at);

  const windows = {} as Record<'7d' | '30d' | '90d', CheckWindow>;
  for (const days of CHECK_WINDOWS_DAYS) {
    const from = at - days * DAY_MS;
    const apps = others.filter((e) => e.type === 'application' && Date.parse(e.occurredAt) > from);
    windows[`${days}d`] = { institutions: new Set(apps.map((e) => e.institution)).size, applications: apps.length };
  }

  // Per institution, walk events in order: a `settled` closes one open loan, and its overdue
  // once no loan is left open (the lifecycle `lending:Record` enforces).
  const overdueSince = new Map<string, number>();
  const openLoans = new Map<string, number>();
  for (const e of others) {
    if (e.type === 'settled') {
      const left = Math.max(0, (openLoans.get(e.institution) ?? 0) - 1);
      if (left === 0) {
        overdueSince.delete(e.institution);
        openLoans.delete(e.institution);
      } else openLoans.set(e.institution, left);
    } else if (e.type === 'overdue') {
      overdueSince.set(e.institution, Date.parse(e.occurredAt));
    } else if (e.type === 'loan') {
      openLoans.set(e.institution, (openLoans.get(e.institution) ?? 0) + 1);
    }
  }
  const from90 = at - 90 * DAY_MS;
  const overdueInstitutions = [...overdueSince.values()].filter((t) => t > from90).length;
  const loans = [...openLoans.values()].reduce((a, b) => a + b, 0);

  return {
    checkId: request.checkId,
    requestedAt: request.requestedAt,
    windows,
    overdueInstitutions,
    openLoans: loans,
    alert: windows['30d'].institutions >= 3 || overdueInstitutions >= 1,
  };
}
