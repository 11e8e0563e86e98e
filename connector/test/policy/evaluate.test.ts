import { describe, expect, it } from 'vitest';
import { type Constraint, evaluatePolicy, RATE_WINDOW_MS } from '../../src/policy/index.js';
import { catalogCtx, negotiationCtx, newPolicy, T0, transferCtx } from './builders.js';

const ISO = (ms: number) => new Date(ms).toISOString();

describe('evaluatePolicy: each constraint alone', () => {
  it('institution: allows listed, denies others', () => {
    const p = newPolicy([
      { leftOperand: 'institution', operator: 'isAnyOf', rightOperand: ['bank-a', 'bank-b'] },
    ]);
    expect(evaluatePolicy(p, catalogCtx())).toEqual({
      allowed: true,
      scope: 'catalog',
      ruleId: 'perm-1',
      mask: [],
    });
    const d = evaluatePolicy(
      p,
      catalogCtx({ consumer: { institution: 'mlc-x', roles: ['bank'], clearance: 3 } }),
    );
    expect(d).toMatchObject({
      allowed: false,
      ruleId: 'perm-1',
      code: 'CONN_POLICY_INSTITUTION',
      constraintIndex: 0,
    });
  });

  it('role: allows when any role matches', () => {
    const p = newPolicy([
      { leftOperand: 'role', operator: 'isAnyOf', rightOperand: ['microlender', 'guarantor'] },
    ]);
    expect(evaluatePolicy(p, negotiationCtx())).toMatchObject({
      allowed: false,
      code: 'CONN_POLICY_ROLE',
    });
    const ok = negotiationCtx({
      consumer: { institution: 'g', roles: ['bank', 'guarantor'], clearance: 1 },
    });
    expect(evaluatePolicy(p, ok).allowed).toBe(true);
  });

  it('purpose: checked at negotiation and transfer, deferred at catalog', () => {
    const p = newPolicy([
      { leftOperand: 'purpose', operator: 'isAnyOf', rightOperand: ['post_loan'] },
    ]);
    expect(evaluatePolicy(p, catalogCtx()).allowed).toBe(true);
    expect(evaluatePolicy(p, negotiationCtx())).toMatchObject({
      allowed: false,
      code: 'CONN_POLICY_PURPOSE',
    });
    expect(evaluatePolicy(p, transferCtx({ purpose: 'post_loan' })).allowed).toBe(true);
  });

  it('validity: valid exactly at validFrom (gteq) and at validUntil (lteq), not 1 ms outside', () => {
    const from = T0;
    const until = T0 + 86_400_000;
    const p = newPolicy([
      { leftOperand: 'dateTime', operator: 'gteq', rightOperand: ISO(from) },
      { leftOperand: 'dateTime', operator: 'lteq', rightOperand: ISO(until) },
    ]);
    expect(evaluatePolicy(p, catalogCtx({ now: from })).allowed).toBe(true);
    expect(evaluatePolicy(p, catalogCtx({ now: until })).allowed).toBe(true);
    expect(evaluatePolicy(p, catalogCtx({ now: from - 1 }))).toMatchObject({
      code: 'CONN_POLICY_NOT_YET_VALID',
      constraintIndex: 0,
    });
    expect(evaluatePolicy(p, catalogCtx({ now: until + 1 }))).toMatchObject({
      code: 'CONN_POLICY_EXPIRED',
      constraintIndex: 1,
    });
  });

  it('validity with strict operators: not valid exactly at the bound', () => {
    const p = newPolicy([
      { leftOperand: 'dateTime', operator: 'gt', rightOperand: ISO(T0) },
      { leftOperand: 'dateTime', operator: 'lt', rightOperand: ISO(T0 + 10) },
    ]);
    expect(evaluatePolicy(p, catalogCtx({ now: T0 }))).toMatchObject({
      code: 'CONN_POLICY_NOT_YET_VALID',
    });
    expect(evaluatePolicy(p, catalogCtx({ now: T0 + 1 })).allowed).toBe(true);
    expect(evaluatePolicy(p, catalogCtx({ now: T0 + 10 }))).toMatchObject({
      code: 'CONN_POLICY_EXPIRED',
    });
  });

  it('count: the Nth use is allowed, the N+1th denied; not applicable before transfer', () => {
    const p = newPolicy([{ leftOperand: 'count', operator: 'lteq', rightOperand: 3 }]);
    expect(
      evaluatePolicy(p, transferCtx({ usage: { usesSoFar: 2, recentUses: [] } })).allowed,
    ).toBe(true);
    expect(
      evaluatePolicy(p, transferCtx({ usage: { usesSoFar: 3, recentUses: [] } })),
    ).toMatchObject({
      allowed: false,
      code: 'CONN_POLICY_MAX_USES',
    });
    expect(evaluatePolicy(p, negotiationCtx()).allowed).toBe(true);
  });

  it('ratePerMinute: a use exactly 60 s ago has left the window, one 59.999 s ago has not', () => {
    const p = newPolicy([{ leftOperand: 'ratePerMinute', operator: 'lteq', rightOperand: 2 }]);
    const at = (recentUses: number[]) =>
      transferCtx({ usage: { usesSoFar: recentUses.length, recentUses } });
    expect(evaluatePolicy(p, at([T0 - 1000])).allowed).toBe(true);
    expect(evaluatePolicy(p, at([T0 - 1000, T0 - 2000]))).toMatchObject({
      code: 'CONN_POLICY_RATE_LIMIT',
    });
    expect(evaluatePolicy(p, at([T0 - 1000, T0 - RATE_WINDOW_MS])).allowed).toBe(true);
    expect(evaluatePolicy(p, at([T0 - 1000, T0 - RATE_WINDOW_MS + 1])).allowed).toBe(false);
  });

  it('classification: allowed when level ≤ clearance (equal included)', () => {
    const p = newPolicy([
      { leftOperand: 'classification', operator: 'lteq', rightOperand: 'consumerClearance' },
    ]);
    const ctx = (classification: number) => catalogCtx({ product: { id: 'p', classification } });
    expect(evaluatePolicy(p, ctx(3)).allowed).toBe(true);
    expect(evaluatePolicy(p, ctx(4))).toMatchObject({
      allowed: false,
      code: 'CONN_POLICY_CLEARANCE',
    });
  });

  it('consent: required at transfer, not applicable before', () => {
    const p = newPolicy([{ leftOperand: 'consent', operator: 'eq', rightOperand: true }]);
    expect(evaluatePolicy(p, catalogCtx()).allowed).toBe(true);
    expect(evaluatePolicy(p, negotiationCtx()).allowed).toBe(true);
    expect(evaluatePolicy(p, transferCtx()).allowed).toBe(true);
    expect(evaluatePolicy(p, transferCtx({ consentValid: false }))).toMatchObject({
      code: 'CONN_POLICY_CONSENT_REQUIRED',
    });
  });
});

describe('evaluatePolicy: combinations and rule choice', () => {
  const lenderOnly: Constraint = {
    leftOperand: 'role',
    operator: 'isAnyOf',
    rightOperand: ['microlender'],
  };
  const bankPreLoan: Constraint[] = [
    { leftOperand: 'role', operator: 'isAnyOf', rightOperand: ['bank'] },
    { leftOperand: 'purpose', operator: 'isAnyOf', rightOperand: ['pre_loan'] },
  ];

  it('the first satisfied permission allows and brings its mask', () => {
    const p = newPolicy([], {
      permissions: [
        { id: 'mlc', constraints: [lenderOnly] },
        { id: 'bank', constraints: bankPreLoan, mask: ['reasons'] },
      ],
    });
    expect(evaluatePolicy(p, transferCtx())).toEqual({
      allowed: true,
      scope: 'transfer',
      ruleId: 'bank',
      mask: ['reasons'],
    });
  });

  it('denies naming the permission with the fewest failures and its first failing constraint', () => {
    const p = newPolicy([], {
      permissions: [
        {
          id: 'mlc',
          constraints: [
            lenderOnly,
            { leftOperand: 'purpose', operator: 'isAnyOf', rightOperand: ['in_loan'] },
          ],
        },
        { id: 'bank', constraints: bankPreLoan },
      ],
    });
    const d = evaluatePolicy(p, transferCtx({ purpose: 'guarantee' }));
    expect(d).toMatchObject({
      allowed: false,
      ruleId: 'bank',
      code: 'CONN_POLICY_PURPOSE',
      constraintIndex: 1,
    });
  });

  it('a matching prohibition overrides a satisfied permission', () => {
    const p = newPolicy([], {
      permissions: [{ id: 'all', constraints: [] }],
      prohibitions: [
        {
          id: 'no-level-4',
          constraints: [
            { leftOperand: 'institution', operator: 'isAnyOf', rightOperand: ['bank-a'] },
          ],
        },
      ],
    });
    expect(evaluatePolicy(p, catalogCtx())).toMatchObject({
      allowed: false,
      ruleId: 'no-level-4',
      code: 'CONN_POLICY_PROHIBITED',
    });
  });

  it('a prohibition with a constraint not known at the scope does not match there', () => {
    const p = newPolicy([], {
      permissions: [{ id: 'all', constraints: [] }],
      prohibitions: [
        {
          id: 'no-guarantee',
          constraints: [
            { leftOperand: 'purpose', operator: 'isAnyOf', rightOperand: ['guarantee'] },
          ],
        },
      ],
    });
    expect(evaluatePolicy(p, catalogCtx()).allowed).toBe(true);
    expect(evaluatePolicy(p, negotiationCtx({ purpose: 'guarantee' }))).toMatchObject({
      allowed: false,
      ruleId: 'no-guarantee',
    });
    expect(evaluatePolicy(p, negotiationCtx()).allowed).toBe(true);
  });

  it('rules limited to scopes are skipped elsewhere; none applicable → default deny', () => {
    const p = newPolicy([], {
      permissions: [{ id: 'transfer-only', scopes: ['transfer'], constraints: [] }],
    });
    expect(evaluatePolicy(p, transferCtx()).allowed).toBe(true);
    expect(evaluatePolicy(p, catalogCtx())).toMatchObject({
      allowed: false,
      ruleId: 'policy:test#default-deny',
      code: 'CONN_POLICY_NO_PERMISSION',
    });
  });

  it('all constraints of a transfer at once: every one must hold', () => {
    const all: Constraint[] = [
      { leftOperand: 'institution', operator: 'isAnyOf', rightOperand: ['bank-a'] },
      { leftOperand: 'role', operator: 'isAnyOf', rightOperand: ['bank'] },
      { leftOperand: 'purpose', operator: 'isAnyOf', rightOperand: ['pre_loan'] },
      { leftOperand: 'dateTime', operator: 'lteq', rightOperand: ISO(T0) },
      { leftOperand: 'count', operator: 'lteq', rightOperand: 1 },
      { leftOperand: 'ratePerMinute', operator: 'lteq', rightOperand: 1 },
      { leftOperand: 'classification', operator: 'lteq', rightOperand: 'consumerClearance' },
      { leftOperand: 'consent', operator: 'eq', rightOperand: true },
    ];
    const p = newPolicy(all);
    expect(evaluatePolicy(p, transferCtx()).allowed).toBe(true);
    const d = evaluatePolicy(p, transferCtx({ now: T0 + 1, consentValid: false }));
    expect(d).toMatchObject({ allowed: false, code: 'CONN_POLICY_EXPIRED', constraintIndex: 3 });
  });

  it("the policy's purposes list is enforced at negotiation and transfer, not at catalog", () => {
    const p = newPolicy([], {
      purposes: ['post_loan'],
      permissions: [{ id: 'all', constraints: [] }],
    });
    expect(evaluatePolicy(p, catalogCtx()).allowed).toBe(true);
    expect(evaluatePolicy(p, negotiationCtx())).toMatchObject({
      allowed: false,
      ruleId: 'policy:test#purposes',
      code: 'CONN_POLICY_PURPOSE',
    });
    expect(evaluatePolicy(p, transferCtx({ purpose: 'post_loan' })).allowed).toBe(true);
  });

  it('refuses a malformed context with CONN_BAD_INPUT', () => {
    expect(() => evaluatePolicy(newPolicy([]), catalogCtx({ now: Number.NaN }))).toThrow(
      expect.objectContaining({ code: 'CONN_BAD_INPUT' }),
    );
  });
});
