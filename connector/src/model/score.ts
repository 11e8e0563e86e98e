import type { EnterpriseRecord } from '../domain/enterprise.js';
import { extractIndicators, type Indicators } from './indicators.js';
import {
  type Dimension,
  DIMENSION_WEIGHTS,
  GRADE_BANDS,
  MODEL_VERSION,
  SCALING,
  SCORECARD,
} from './scorecard.js';

/** Up to this many reason codes per output. */
export const MAX_REASONS = 4;

export interface ReasonCode {
  readonly code: string;
  readonly dimension: Dimension;
  /** Score points this indicator cost (0–1000 scale), one decimal. */
  readonly pointsLost: number;
  /** Indicator and the band it fell in, e.g. `tax credit grade: grade C`. */
  readonly message: string;
}

/** A model output: the only thing that leaves the provider. */
export interface RiskScore {
  readonly modelVersion: typeof MODEL_VERSION;
  readonly asOf: string;
  /** 0–1000 */
  readonly score: number;
  readonly grade: 'A' | 'B' | 'C' | 'D' | 'E';
  /** Probability of default implied by the scaling, 6 decimals. */
  readonly pd: number;
  /** Each dimension 0–100, one decimal. */
  readonly dimensions: Readonly<Record<Dimension, number>>;
  /** The indicators that cost the most points, largest first. */
  readonly reasons: readonly ReasonCode[];
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The grade for a 0–1000 score. Never throws. */
export function gradeOf(score: number): RiskScore['grade'] {
  return (GRADE_BANDS.find((b) => score >= b.min) ?? GRADE_BANDS[GRADE_BANDS.length - 1]!).grade;
}

/** Probability of default at a score: odds(good:bad) = 19 · 2^((score − 600) / 50). Never throws. */
export function pdOf(score: number): number {
  const odds = SCALING.anchorOdds * 2 ** ((score - SCALING.anchorScore) / SCALING.pdo);
  return 1 / (1 + odds);
}

/**
 * Scores indicators: dimension = Σ weight · points (0–100); composite = Σ dimension
 * weight · dimension; score = round(10 · composite). Pure and deterministic.
 */
export function scoreIndicators(x: Indicators, asOf: string): RiskScore {
  const dims: Record<Dimension, number> = {
    basicInfo: 0,
    operationalStability: 0,
    creditHistory: 0,
    businessCondition: 0,
    repaymentCapacity: 0,
  };
  const losses: (ReasonCode & { order: number })[] = [];
  SCORECARD.forEach((spec, order) => {
    const { points, label } = spec.points(x);
    dims[spec.dimension] += spec.weight * points;
    const lost = 10 * DIMENSION_WEIGHTS[spec.dimension] * spec.weight * (100 - points);
    if (lost > 0)
      losses.push({
        code: spec.code,
        dimension: spec.dimension,
        pointsLost: round(lost, 1),
        message: `${spec.title}: ${label}`,
        order,
      });
  });
  let composite = 0;
  for (const d of Object.keys(dims) as Dimension[]) composite += DIMENSION_WEIGHTS[d] * dims[d];
  const score = Math.min(1000, Math.max(0, Math.round(10 * composite)));
  losses.sort((a, b) => b.pointsLost - a.pointsLost || a.order - b.order);
  return {
    modelVersion: MODEL_VERSION,
    asOf,
    score,
    grade: gradeOf(score),
    pd: round(pdOf(score), 6),
    dimensions: Object.fromEntries(
      Object.entries(dims).map(([k, v]) => [k, round(v, 1)]),
    ) as Record<Dimension, number>,
    reasons: losses.slice(0, MAX_REASONS).map(({ order: _order, ...r }) => r),
  };
}

/**
 * Runs the SME scorecard on an enterprise's own data as of `asOf` (YYYY-MM-DD, end of
 * day). Deterministic: the same record and date give the same output.
 * @throws ConnectorError `CONN_BAD_INPUT` for a malformed record or date.
 */
export function scoreEnterprise(record: EnterpriseRecord, asOf: string): RiskScore {
  return scoreIndicators(extractIndicators(record, asOf), asOf);
}
