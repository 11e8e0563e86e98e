import type {
  CatalogContext,
  Constraint,
  NegotiationContext,
  Policy,
  TransferContext,
} from '../../src/policy/index.js';

export const T0 = Date.parse('2026-03-01T00:00:00.000Z');

/** A policy with one permission holding `constraints` (and optional prohibitions). */
export function newPolicy(constraints: Constraint[], overrides: Partial<Policy> = {}): Policy {
  return {
    id: 'policy:test',
    permissions: [{ id: 'perm-1', constraints }],
    prohibitions: [],
    ...overrides,
  };
}

const consumer = { institution: 'bank-a', roles: ['bank'], clearance: 3 };
const product = { id: 'credit-score', classification: 2 };

export function catalogCtx(o: Partial<CatalogContext> = {}): CatalogContext {
  return { scope: 'catalog', now: T0, consumer, product, ...o };
}

export function negotiationCtx(o: Partial<NegotiationContext> = {}): NegotiationContext {
  return { scope: 'negotiation', now: T0, consumer, product, purpose: 'pre_loan', ...o };
}

export function transferCtx(o: Partial<TransferContext> = {}): TransferContext {
  return {
    scope: 'transfer',
    now: T0,
    consumer,
    product,
    purpose: 'pre_loan',
    usage: { usesSoFar: 0, recentUses: [] },
    consentValid: true,
    ...o,
  };
}
