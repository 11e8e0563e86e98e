import { type Constraint, type Policy, PURPOSES } from './types.js';

export interface DefaultPolicyOptions {
  readonly productId: string;
  /** Roles that may use the product (default: microlender, bank, guarantor). */
  readonly roles?: readonly string[];
  /** Restrict to these institutions (default: any institution with an allowed role). */
  readonly institutions?: readonly string[];
  readonly purposes?: readonly string[];
  /** Uses per contract (default 1000). */
  readonly maxUses?: number;
  /** Uses per minute per contract (default 60). */
  readonly ratePerMinute?: number;
  /** ISO-8601 instants bounding the offer (default: open). */
  readonly validFrom?: string;
  readonly validUntil?: string;
  /** Fields of the output to mask (default: none). */
  readonly mask?: readonly string[];
}

/**
 * The demo's default product policy: lenders and guarantors with enough clearance,
 * for the credit purposes, under consent, within count and rate limits; and a
 * prohibition on data exchanges contracting for or receiving outputs (they list
 * products, they do not consume them).
 * The result passes {@link parsePolicy}. Never throws.
 */
export function defaultProductPolicy(o: DefaultPolicyOptions): Policy {
  const purposes = [...(o.purposes ?? PURPOSES)];
  const constraints: Constraint[] = [
    {
      leftOperand: 'role',
      operator: 'isAnyOf',
      rightOperand: [...(o.roles ?? ['microlender', 'bank', 'guarantor'])],
    },
    { leftOperand: 'purpose', operator: 'isAnyOf', rightOperand: purposes },
    { leftOperand: 'classification', operator: 'lteq', rightOperand: 'consumerClearance' },
    { leftOperand: 'consent', operator: 'eq', rightOperand: true },
    { leftOperand: 'count', operator: 'lteq', rightOperand: o.maxUses ?? 1000 },
    { leftOperand: 'ratePerMinute', operator: 'lteq', rightOperand: o.ratePerMinute ?? 60 },
  ];
  if (o.institutions)
    constraints.unshift({
      leftOperand: 'institution',
      operator: 'isAnyOf',
      rightOperand: [...o.institutions],
    });
  if (o.validFrom)
    constraints.push({ leftOperand: 'dateTime', operator: 'gteq', rightOperand: o.validFrom });
  if (o.validUntil)
    constraints.push({ leftOperand: 'dateTime', operator: 'lteq', rightOperand: o.validUntil });
  return {
    id: `policy:${o.productId}`,
    target: o.productId,
    purposes,
    permissions: [
      { id: `${o.productId}:use`, constraints, ...(o.mask?.length ? { mask: [...o.mask] } : {}) },
    ],
    prohibitions: [
      {
        id: `${o.productId}:no-exchange-use`,
        scopes: ['negotiation', 'transfer'],
        constraints: [{ leftOperand: 'role', operator: 'isAnyOf', rightOperand: ['exchange'] }],
      },
    ],
  };
}
