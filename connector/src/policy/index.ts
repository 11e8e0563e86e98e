export * from './types.js';
export { evaluatePolicy, RATE_WINDOW_MS } from './evaluate.js';
export { parsePolicy } from './parse-policy.js';
export { applyMask, MASKED } from './mask.js';
export { policyHash } from './policy-hash.js';
export { defaultProductPolicy, type DefaultPolicyOptions } from './template.js';
