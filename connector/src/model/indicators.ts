import type { EnterpriseRecord } from '../domain/enterprise.js';
import { INDUSTRY_RISK } from '../domain/enterprise.js';
import { ConnectorError, ConnectorErrorCode } from '../domain/errors.js';

const DAY_MS = 86_400_000;
/** Negative information counts for five years (credit reporting regulation, Art 16). */
const NEGATIVE_INFO_YEARS = 5;
/** Revenue proxy: annual tax paid × this (tax burden ≈ 5 % of revenue). */
export const REVENUE_PER_TAX = 20;

/** The raw indicator values the scorecard bands. */
export interface Indicators {
  readonly registrationAgeYears: number;
  readonly registeredCapital: number;
  readonly industryRisk: 'low' | 'medium' | 'high';
  readonly headcount: number;
  /** Mean headcount of the last 6 months / of the 6 before. */
  readonly headcountTrend: number;
  /** Months of the last 12 with electricity use. */
  readonly utilityMonths: number;
  readonly taxGrade: EnterpriseRecord['taxGrade'];
  readonly overdues12m: number;
  readonly courtRecord: 'none' | 'closed' | 'enforcing' | 'dishonest';
  readonly taxPaid12m: number;
  /** Tax paid in the last 12 months / in the 12 before. */
  readonly taxTrend: number;
  readonly penalties36m: number;
  /** Outstanding principal / revenue proxy (tax × {@link REVENUE_PER_TAX}). */
  readonly debtRatio: number;
  /** Annual revenue proxy: tax paid in 12 months × {@link REVENUE_PER_TAX}. */
  readonly revenueProxy: number;
  /** Distinct lenders applied to in the 30 days up to asOf. */
  readonly lenders30d: number;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : sum(xs) / xs.length);

/** last / prior, with 0/0 = 0 (nothing, then nothing) and x/0 = 1.5 (a new start). */
function ratio(last: number, prior: number): number {
  if (prior > 0) return last / prior;
  return last > 0 ? 1.5 : 0;
}

/**
 * Parses `YYYY-MM-DD` as the end of that UTC day (ms).
 * @throws ConnectorError `CONN_BAD_INPUT`.
 */
export function parseAsOf(asOf: string): number {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? Date.parse(`${asOf}T23:59:59.999Z`) : NaN;
  if (Number.isNaN(t))
    throw new ConnectorError(
      ConnectorErrorCode.BAD_INPUT,
      `asOf must be a date YYYY-MM-DD, got ${String(asOf)}`,
    );
  return t;
}

function checkRecord(r: EnterpriseRecord): void {
  const ok =
    typeof r === 'object' &&
    r !== null &&
    typeof r.registeredOn === 'string' &&
    Number.isFinite(r.registeredCapital) &&
    Array.isArray(r.taxPaid) &&
    r.taxPaid.length >= 24 &&
    Array.isArray(r.headcount) &&
    r.headcount.length >= 12 &&
    Array.isArray(r.electricityKwh) &&
    Array.isArray(r.penalties) &&
    Array.isArray(r.judgments) &&
    Array.isArray(r.lending) &&
    !Number.isNaN(Date.parse(r.registeredOn));
  if (!ok) throw new ConnectorError(ConnectorErrorCode.BAD_INPUT, 'malformed enterprise record');
}

/**
 * Computes the scorecard's indicators from an enterprise's own data, as of the end of
 * day `asOf` (events after it are ignored). Deterministic.
 * @throws ConnectorError `CONN_BAD_INPUT` for a malformed record or asOf.
 */
export function extractIndicators(r: EnterpriseRecord, asOf: string): Indicators {
  const at = parseAsOf(asOf);
  checkRecord(r);
  const within = (iso: string, days: number) => {
    const t = Date.parse(iso);
    return t <= at && t > at - days * DAY_MS;
  };
  const tax = r.taxPaid.slice(-24);
  const heads = r.headcount.slice(-12);
  let outstanding = 0;
  let overdues12m = 0;
  const lenders30d = new Set<string>();
  for (const e of r.lending) {
    if (Date.parse(e.occurredAt) > at) continue;
    if (e.type === 'loan') outstanding += e.amount ?? 0;
    if (e.type === 'repayment') outstanding -= e.amount ?? 0;
    if (e.type === 'overdue' && within(e.occurredAt, 365)) overdues12m++;
    if (e.type === 'application' && within(e.occurredAt, 30)) lenders30d.add(e.lenderId);
  }
  let courtRecord: Indicators['courtRecord'] = 'none';
  const rank = { none: 0, closed: 1, enforcing: 2, dishonest: 3 } as const;
  for (const j of r.judgments) {
    if (!within(j.on, NEGATIVE_INFO_YEARS * 365)) continue;
    const kind = j.dishonestDebtor ? 'dishonest' : j.status;
    if (rank[kind] > rank[courtRecord]) courtRecord = kind;
  }
  const taxPaid12m = sum(tax.slice(-12));
  const revenue = taxPaid12m * REVENUE_PER_TAX;
  outstanding = Math.max(0, outstanding);
  return {
    registrationAgeYears: Math.max(0, (at - Date.parse(r.registeredOn)) / (365.25 * DAY_MS)),
    registeredCapital: r.registeredCapital,
    industryRisk: INDUSTRY_RISK[r.industry] ?? 'medium',
    headcount: r.headcount[r.headcount.length - 1] ?? 0,
    headcountTrend: ratio(mean(heads.slice(-6)), mean(heads.slice(0, 6))),
    utilityMonths: r.electricityKwh.slice(-12).filter((x) => x > 0).length,
    taxGrade: r.taxGrade,
    overdues12m,
    courtRecord,
    taxPaid12m,
    taxTrend: ratio(taxPaid12m, sum(tax.slice(0, 12))),
    penalties36m: r.penalties.filter((p) => within(p.on, 3 * 365)).length,
    debtRatio:
      outstanding === 0 ? 0 : revenue === 0 ? Number.POSITIVE_INFINITY : outstanding / revenue,
    revenueProxy: revenue,
    lenders30d: lenders30d.size,
  };
}
