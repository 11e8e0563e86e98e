export {
  generateEnterprises,
  DEFAULT_AS_OF,
  MAX_COUNT,
  SYNTHETIC_META_KEY,
  SyntheticOptionsError,
  type GenerateOptions,
  type GenerateSummary,
} from './generate.js';
export { generateEnterprise } from './enterprise-gen.js';
export { exportLendingEvents, lendingEventsOf, type LendingEvent } from './export-lending.js';
export { LENDERS, LENDER_IDS } from './reference-data.js';
export { seedHash, mulberry32 } from './prng.js';
export { RING_BLOCK } from './rings.js';
export { batchesByEnterprise, lifecycleViolations, MAX_EVENT_AGE_YEARS, type LifecycleEvent } from './lifecycle.js';
