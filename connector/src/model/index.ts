export {
  scoreEnterprise,
  scoreIndicators,
  gradeOf,
  pdOf,
  MAX_REASONS,
  type RiskScore,
  type ReasonCode,
} from './score.js';
export { extractIndicators, parseAsOf, REVENUE_PER_TAX, type Indicators } from './indicators.js';
export {
  MODEL_VERSION,
  SCORECARD,
  DIMENSION_WEIGHTS,
  GRADE_BANDS,
  SCALING,
  type Dimension,
  type IndicatorSpec,
} from './scorecard.js';
