import { describe, expect, it } from 'vitest';
import {
  defaultProductPolicy,
  evaluatePolicy,
  parsePolicy,
  policyHash,
} from '../../src/policy/index.js';
import { catalogCtx, negotiationCtx, transferCtx } from './builders.js';

function badPolicy(input: unknown): { code: string; message: string } {
  try {
    parsePolicy(input);
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message };
  }
  throw new Error('expected CONN_BAD_POLICY');
}

const ok = {
  id: 'policy:x',
  permissions: [
    {
      id: 'p1',
      constraints: [{ leftOperand: 'role', operator: 'isAnyOf', rightOperand: ['bank'] }],
    },
  ],
};

describe('parsePolicy', () => {
  it('accepts a well-formed policy and defaults prohibitions to []', () => {
    expect(parsePolicy(ok)).toEqual({ ...ok, prohibitions: [] });
  });

  it.each([
    [null, /^policy: must be a JSON object/],
    [{ ...ok, extra: 1 }, /^policy: unknown property "extra"/],
    [{ ...ok, id: '' }, /^id: must be an id/],
    [{ ...ok, permissions: 'x' }, /^permissions: must be an array/],
    [
      {
        ...ok,
        permissions: [
          { id: 'p1', constraints: [{ leftOperand: 'colour', operator: 'eq', rightOperand: 1 }] },
        ],
      },
      /^permissions\[0\]\.constraints\[0\]\.leftOperand: must be one of/,
    ],
    [
      {
        ...ok,
        permissions: [
          { id: 'p1', constraints: [{ leftOperand: 'count', operator: 'lteq', rightOperand: 0 }] },
        ],
      },
      /^permissions\[0\]\.constraints\[0\]\.rightOperand: must be a positive integer/,
    ],
    [
      {
        ...ok,
        permissions: [
          { id: 'p1', constraints: [{ leftOperand: 'count', operator: 'gteq', rightOperand: 3 }] },
        ],
      },
      /^permissions\[0\]\.constraints\[0\]\.operator: must be "lteq"/,
    ],
    [
      {
        ...ok,
        permissions: [
          {
            id: 'p1',
            constraints: [{ leftOperand: 'dateTime', operator: 'lt', rightOperand: '2026-01-01' }],
          },
        ],
      },
      /rightOperand: must be an ISO-8601 instant/,
    ],
    [
      {
        ...ok,
        permissions: [
          {
            id: 'p1',
            constraints: [{ leftOperand: 'role', operator: 'isAnyOf', rightOperand: [] }],
          },
        ],
      },
      /rightOperand: must be a non-empty array/,
    ],
    [
      {
        ...ok,
        permissions: [
          {
            id: 'p1',
            constraints: [{ leftOperand: 'consent', operator: 'eq', rightOperand: false }],
          },
        ],
      },
      /rightOperand: must be true/,
    ],
    [
      { ...ok, permissions: [{ id: 'p1', scopes: ['everywhere'], constraints: [] }] },
      /^permissions\[0\]\.scopes\[0\]/,
    ],
    [
      { ...ok, permissions: [{ id: 'p1', constraints: [], mask: ['a..b'] }] },
      /^permissions\[0\]\.mask\[0\]/,
    ],
    [{ ...ok, prohibitions: [{ id: 'p1', constraints: [] }] }, /rule id "p1" is used twice/],
    [
      { ...ok, prohibitions: [{ id: 'x1', constraints: [], mask: ['a'] }] },
      /unknown property "mask"/,
    ],
    [{ ...ok, purposes: 'pre_loan' }, /^purposes: must be a non-empty array/],
  ])(
    'refuses a bad policy with CONN_BAD_POLICY and the path of the problem (%#)',
    (input, message) => {
      const e = badPolicy(input);
      expect(e.code).toBe('CONN_BAD_POLICY');
      expect(e.message).toMatch(message);
    },
  );
});

describe('defaultProductPolicy', () => {
  const policy = defaultProductPolicy({ productId: 'credit-score', maxUses: 2, ratePerMinute: 10 });

  it('passes its own validator and hashes stably regardless of key order', () => {
    expect(parsePolicy(policy)).toEqual(policy);
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reverseKeys)
        : typeof v === 'object' && v !== null
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reverseKeys(x)]),
            )
          : v;
    const reordered = reverseKeys(policy) as typeof policy;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(policy));
    expect(policyHash(reordered)).toBe(policyHash(policy));
    expect(policyHash(policy)).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('lets a bank see, contract and receive under consent, and refuses a data exchange', () => {
    expect(evaluatePolicy(policy, catalogCtx()).allowed).toBe(true);
    expect(evaluatePolicy(policy, negotiationCtx()).allowed).toBe(true);
    expect(evaluatePolicy(policy, transferCtx()).allowed).toBe(true);
    expect(
      evaluatePolicy(policy, transferCtx({ usage: { usesSoFar: 2, recentUses: [] } })),
    ).toMatchObject({ code: 'CONN_POLICY_MAX_USES' });
    const exchange = { institution: 'gz-exchange', roles: ['exchange', 'bank'], clearance: 4 };
    expect(evaluatePolicy(policy, negotiationCtx({ consumer: exchange }))).toMatchObject({
      allowed: false,
      ruleId: 'credit-score:no-exchange-use',
    });
  });
});
