import type { Indicators } from './indicators.js';

/** Model version stamped on every output. Change it whenever a table below changes. */
export const MODEL_VERSION = 'sme-scorecard-1.0.0';

export type Dimension =
  | 'basicInfo'
  | 'operationalStability'
  | 'creditHistory'
  | 'businessCondition'
  | 'repaymentCapacity';

/** Dimension weights in the composite (sum 1). */
export const DIMENSION_WEIGHTS: Readonly<Record<Dimension, number>> = {
  basicInfo: 0.15,
  operationalStability: 0.2,
  creditHistory: 0.25,
  businessCondition: 0.2,
  repaymentCapacity: 0.2,
};

/** A numeric band: values below `below` (and at or above the previous band) score `points`. */
interface Band {
  readonly below: number;
  readonly points: number;
  readonly label: string;
}

export interface IndicatorSpec {
  /** Reason code reported when this indicator costs points. */
  readonly code: string;
  readonly indicator: keyof Indicators;
  readonly dimension: Dimension;
  /** Weight within its dimension (each dimension's weights sum to 1). */
  readonly weight: number;
  readonly title: string;
  /** Points 0–100 and a label for the band the value fell in. */
  readonly points: (x: Indicators) => { readonly points: number; readonly label: string };
}

function banded(key: keyof Indicators, bands: readonly Band[]) {
  return (x: Indicators) => {
    const v = x[key] as number;
    const band = bands.find((b) => v < b.below) ?? bands[bands.length - 1]!;
    return { points: band.points, label: band.label };
  };
}

function categorical<K extends keyof Indicators>(
  key: K,
  table: Readonly<Record<string, number>>,
  labels: Readonly<Record<string, string>>,
) {
  return (x: Indicators) => {
    const v = String(x[key]);
    return { points: table[v] ?? 0, label: labels[v] ?? v };
  };
}

const INF = Number.POSITIVE_INFINITY;

/** Every indicator of the scorecard, its band table and its reason code. */
export const SCORECARD: readonly IndicatorSpec[] = [
  {
    code: 'BI01',
    indicator: 'registrationAgeYears',
    dimension: 'basicInfo',
    weight: 0.5,
    title: 'registration age',
    points: banded('registrationAgeYears', [
      { below: 1, points: 20, label: 'under 1 year' },
      { below: 3, points: 50, label: '1–3 years' },
      { below: 5, points: 70, label: '3–5 years' },
      { below: 10, points: 85, label: '5–10 years' },
      { below: INF, points: 100, label: '10 years or more' },
    ]),
  },
  {
    code: 'BI02',
    indicator: 'registeredCapital',
    dimension: 'basicInfo',
    weight: 0.3,
    title: 'registered capital',
    points: banded('registeredCapital', [
      { below: 1e6, points: 40, label: 'under CNY 1M' },
      { below: 5e6, points: 60, label: 'CNY 1–5M' },
      { below: 1e7, points: 75, label: 'CNY 5–10M' },
      { below: 5e7, points: 90, label: 'CNY 10–50M' },
      { below: INF, points: 100, label: 'CNY 50M or more' },
    ]),
  },
  {
    code: 'BI03',
    indicator: 'industryRisk',
    dimension: 'basicInfo',
    weight: 0.2,
    title: 'industry risk',
    points: categorical(
      'industryRisk',
      { low: 100, medium: 70, high: 40 },
      { low: 'low-risk industry', medium: 'medium-risk industry', high: 'high-risk industry' },
    ),
  },
  {
    code: 'OS01',
    indicator: 'headcount',
    dimension: 'operationalStability',
    weight: 0.4,
    title: 'social-security headcount',
    points: banded('headcount', [
      { below: 1, points: 0, label: 'no insured staff' },
      { below: 5, points: 40, label: '1–4 insured staff' },
      { below: 20, points: 65, label: '5–19 insured staff' },
      { below: 100, points: 85, label: '20–99 insured staff' },
      { below: INF, points: 100, label: '100 or more insured staff' },
    ]),
  },
  {
    code: 'OS02',
    indicator: 'headcountTrend',
    dimension: 'operationalStability',
    weight: 0.3,
    title: 'headcount trend (6 vs 6 months)',
    points: banded('headcountTrend', [
      { below: 0.7, points: 20, label: 'fell by 30 % or more' },
      { below: 0.9, points: 50, label: 'fell by 10–30 %' },
      { below: 1.1, points: 80, label: 'stable' },
      { below: INF, points: 100, label: 'grew by 10 % or more' },
    ]),
  },
  {
    code: 'OS03',
    indicator: 'utilityMonths',
    dimension: 'operationalStability',
    weight: 0.3,
    title: 'months with electricity use (of 12)',
    points: banded('utilityMonths', [
      { below: 6, points: 10, label: 'fewer than 6 months' },
      { below: 10, points: 40, label: '6–9 months' },
      { below: 12, points: 75, label: '10–11 months' },
      { below: INF, points: 100, label: 'all 12 months' },
    ]),
  },
  {
    code: 'CH01',
    indicator: 'taxGrade',
    dimension: 'creditHistory',
    weight: 0.4,
    title: 'tax credit grade',
    points: categorical(
      'taxGrade',
      { A: 100, B: 80, M: 60, C: 35, D: 0 },
      { A: 'grade A', B: 'grade B', M: 'grade M (new firm)', C: 'grade C', D: 'grade D' },
    ),
  },
  {
    code: 'CH02',
    indicator: 'overdues12m',
    dimension: 'creditHistory',
    weight: 0.35,
    title: 'overdues in 12 months',
    points: banded('overdues12m', [
      { below: 1, points: 100, label: 'none' },
      { below: 2, points: 50, label: 'one' },
      { below: INF, points: 10, label: 'two or more' },
    ]),
  },
  {
    code: 'CH03',
    indicator: 'courtRecord',
    dimension: 'creditHistory',
    weight: 0.25,
    title: 'court judgments and enforcement (5 years)',
    points: categorical(
      'courtRecord',
      { none: 100, closed: 60, enforcing: 20, dishonest: 0 },
      {
        none: 'none',
        closed: 'closed judgments',
        enforcing: 'enforcement open',
        dishonest: 'dishonest judgment debtor',
      },
    ),
  },
  {
    code: 'BC01',
    indicator: 'taxPaid12m',
    dimension: 'businessCondition',
    weight: 0.4,
    title: 'tax paid in 12 months',
    points: banded('taxPaid12m', [
      { below: 1, points: 0, label: 'none' },
      { below: 5e4, points: 30, label: 'under CNY 50k' },
      { below: 2e5, points: 55, label: 'CNY 50–200k' },
      { below: 1e6, points: 80, label: 'CNY 200k–1M' },
      { below: INF, points: 100, label: 'CNY 1M or more' },
    ]),
  },
  {
    code: 'BC02',
    indicator: 'taxTrend',
    dimension: 'businessCondition',
    weight: 0.35,
    title: 'tax trend (12 vs 12 months)',
    points: banded('taxTrend', [
      { below: 0.7, points: 15, label: 'fell by 30 % or more' },
      { below: 0.9, points: 45, label: 'fell by 10–30 %' },
      { below: 1.1, points: 75, label: 'stable' },
      { below: INF, points: 100, label: 'grew by 10 % or more' },
    ]),
  },
  {
    code: 'BC03',
    indicator: 'penalties36m',
    dimension: 'businessCondition',
    weight: 0.25,
    title: 'administrative penalties in 3 years',
    points: banded('penalties36m', [
      { below: 1, points: 100, label: 'none' },
      { below: 2, points: 60, label: 'one' },
      { below: 3, points: 30, label: 'two' },
      { below: INF, points: 0, label: 'three or more' },
    ]),
  },
  {
    code: 'RC01',
    indicator: 'debtRatio',
    dimension: 'repaymentCapacity',
    weight: 0.45,
    title: 'outstanding loans / revenue proxy',
    points: banded('debtRatio', [
      { below: 1e-9, points: 100, label: 'no outstanding loans' },
      { below: 0.2, points: 90, label: 'under 20 %' },
      { below: 0.5, points: 70, label: '20–50 %' },
      { below: 1, points: 40, label: '50–100 %' },
      { below: INF, points: 10, label: '100 % or more' },
    ]),
  },
  {
    code: 'RC02',
    indicator: 'lenders30d',
    dimension: 'repaymentCapacity',
    weight: 0.3,
    title: 'lenders applied to in 30 days',
    points: banded('lenders30d', [
      { below: 2, points: 100, label: 'at most one' },
      { below: 3, points: 70, label: 'two' },
      { below: 4, points: 40, label: 'three' },
      { below: INF, points: 10, label: 'four or more' },
    ]),
  },
  {
    code: 'RC03',
    indicator: 'revenueProxy',
    dimension: 'repaymentCapacity',
    weight: 0.25,
    title: 'revenue proxy (tax × 20)',
    points: banded('revenueProxy', [
      { below: 1, points: 0, label: 'no revenue' },
      { below: 1e6, points: 40, label: 'under CNY 1M' },
      { below: 5e6, points: 70, label: 'CNY 1–5M' },
      { below: 2e7, points: 85, label: 'CNY 5–20M' },
      { below: INF, points: 100, label: 'CNY 20M or more' },
    ]),
  },
];

/** Grade bands on the 0–1000 score (lower bound inclusive). */
export const GRADE_BANDS: readonly {
  readonly grade: 'A' | 'B' | 'C' | 'D' | 'E';
  readonly min: number;
}[] = [
  { grade: 'A', min: 800 },
  { grade: 'B', min: 700 },
  { grade: 'C', min: 600 },
  { grade: 'D', min: 500 },
  { grade: 'E', min: 0 },
];

/** Scaling: 600 points at odds 19:1 (good:bad), 50 points to double the odds. */
export const SCALING = { anchorScore: 600, anchorOdds: 19, pdo: 50 } as const;
