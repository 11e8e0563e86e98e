import { ConnectorError, ConnectorErrorCode } from '../domain/errors.js';
import {
  type Constraint,
  type Permission,
  type Policy,
  type PolicyContext,
  type PolicyDecision,
  PolicyDenyCode,
  type PolicyScope,
  type Rule,
} from './types.js';

/** Length of the rate-limit window: uses at `now - 60 s` or earlier fall out of it. */
export const RATE_WINDOW_MS = 60_000;

type Outcome =
  | { readonly kind: 'pass' }
  | { readonly kind: 'n/a' }
  | { readonly kind: 'fail'; readonly code: PolicyDenyCode; readonly reason: string };

const PASS: Outcome = { kind: 'pass' };
const NOT_APPLICABLE: Outcome = { kind: 'n/a' };
const fail = (code: PolicyDenyCode, reason: string): Outcome => ({ kind: 'fail', code, reason });

/**
 * Evaluates one constraint. A constraint whose operand the scope does not know yet
 * (purpose at catalog; uses, rate and consent before transfer) is `n/a`: a permission
 * treats it as holding (it is checked again at a later scope), a prohibition as not
 * matching.
 */
function evaluateConstraint(c: Constraint, ctx: PolicyContext): Outcome {
  switch (c.leftOperand) {
    case 'institution':
      return c.rightOperand.includes(ctx.consumer.institution)
        ? PASS
        : fail(
            PolicyDenyCode.INSTITUTION,
            `institution ${ctx.consumer.institution} is not among the allowed institutions`,
          );
    case 'role':
      return ctx.consumer.roles.some((r) => c.rightOperand.includes(r))
        ? PASS
        : fail(
            PolicyDenyCode.ROLE,
            `none of the roles [${ctx.consumer.roles.join(', ')}] is allowed`,
          );
    case 'purpose':
      if (ctx.scope === 'catalog') return NOT_APPLICABLE;
      return c.rightOperand.includes(ctx.purpose)
        ? PASS
        : fail(
            PolicyDenyCode.PURPOSE,
            `purpose ${ctx.purpose} is not among [${c.rightOperand.join(', ')}]`,
          );
    case 'dateTime': {
      const t = Date.parse(c.rightOperand);
      const holds =
        c.operator === 'gt'
          ? ctx.now > t
          : c.operator === 'gteq'
            ? ctx.now >= t
            : c.operator === 'lt'
              ? ctx.now < t
              : ctx.now <= t;
      if (holds) return PASS;
      const lower = c.operator === 'gt' || c.operator === 'gteq';
      return lower
        ? fail(PolicyDenyCode.NOT_YET_VALID, `not valid before ${c.rightOperand}`)
        : fail(PolicyDenyCode.EXPIRED, `not valid after ${c.rightOperand}`);
    }
    case 'count':
      if (ctx.scope !== 'transfer') return NOT_APPLICABLE;
      return ctx.usage.usesSoFar + 1 <= c.rightOperand
        ? PASS
        : fail(
            PolicyDenyCode.MAX_USES,
            `the contract allows ${c.rightOperand} uses and ${ctx.usage.usesSoFar} were made`,
          );
    case 'ratePerMinute': {
      if (ctx.scope !== 'transfer') return NOT_APPLICABLE;
      const since = ctx.now - RATE_WINDOW_MS;
      const inWindow = ctx.usage.recentUses.filter((t) => t > since).length;
      return inWindow + 1 <= c.rightOperand
        ? PASS
        : fail(
            PolicyDenyCode.RATE_LIMIT,
            `at most ${c.rightOperand} uses per minute; ${inWindow} in the last minute`,
          );
    }
    case 'classification':
      return ctx.product.classification <= ctx.consumer.clearance
        ? PASS
        : fail(
            PolicyDenyCode.CLEARANCE,
            `product level ${ctx.product.classification} exceeds the consumer's clearance ${ctx.consumer.clearance}`,
          );
    case 'consent':
      if (ctx.scope !== 'transfer') return NOT_APPLICABLE;
      return ctx.consentValid
        ? PASS
        : fail(
            PolicyDenyCode.CONSENT_REQUIRED,
            'no valid consent of the data subject covers this use',
          );
  }
}

function appliesAt(rule: Rule, scope: PolicyScope): boolean {
  return rule.scopes === undefined || rule.scopes.includes(scope);
}

function checkContext(ctx: PolicyContext): void {
  const ok =
    typeof ctx === 'object' &&
    ctx !== null &&
    Number.isFinite(ctx.now) &&
    typeof ctx.consumer?.institution === 'string' &&
    Array.isArray(ctx.consumer.roles) &&
    Number.isFinite(ctx.consumer.clearance) &&
    Number.isFinite(ctx.product?.classification) &&
    (ctx.scope === 'catalog' ||
      (typeof ctx.purpose === 'string' &&
        (ctx.scope === 'negotiation' ||
          (ctx.scope === 'transfer' &&
            Number.isFinite(ctx.usage?.usesSoFar) &&
            Array.isArray(ctx.usage.recentUses) &&
            typeof ctx.consentValid === 'boolean'))));
  if (!ok) throw new ConnectorError(ConnectorErrorCode.BAD_INPUT, 'malformed policy context');
}

/**
 * Decides a request against a policy at the context's scope. Pure: usage counts, rate
 * history, consent status and time all come in through the context.
 *
 * Order: the policy's `purposes` list (if any), then prohibitions (one whose constraints all hold denies, deny overrides);
 * then permissions in order (the first whose constraints all hold allows, with its
 * mask); otherwise deny, naming the permission that came closest (fewest failing
 * constraints, earliest on ties) and its first failing constraint. With no permission
 * applicable at the scope the deciding rule is `<policy id>#default-deny`.
 * @throws ConnectorError `CONN_BAD_INPUT` when the context is malformed.
 */
export function evaluatePolicy(policy: Policy, ctx: PolicyContext): PolicyDecision {
  checkContext(ctx);
  const scope = ctx.scope;
  if (
    policy.purposes !== undefined &&
    ctx.scope !== 'catalog' &&
    !policy.purposes.includes(ctx.purpose)
  ) {
    return {
      allowed: false,
      scope,
      ruleId: `${policy.id}#purposes`,
      code: PolicyDenyCode.PURPOSE,
      reason: `purpose ${ctx.purpose} is not among the policy's purposes [${policy.purposes.join(', ')}]`,
    };
  }
  for (const rule of policy.prohibitions) {
    if (!appliesAt(rule, scope)) continue;
    if (rule.constraints.every((c) => evaluateConstraint(c, ctx).kind === 'pass')) {
      return {
        allowed: false,
        scope,
        ruleId: rule.id,
        code: PolicyDenyCode.PROHIBITED,
        reason: `prohibited by rule ${rule.id}`,
      };
    }
  }
  let closest:
    | { rule: Permission; failures: number; index: number; outcome: Outcome & { kind: 'fail' } }
    | undefined;
  for (const rule of policy.permissions) {
    if (!appliesAt(rule, scope)) continue;
    let failures = 0;
    let first: { index: number; outcome: Outcome & { kind: 'fail' } } | undefined;
    rule.constraints.forEach((c, index) => {
      const outcome = evaluateConstraint(c, ctx);
      if (outcome.kind !== 'fail') return;
      failures++;
      first ??= { index, outcome };
    });
    if (!first) return { allowed: true, scope, ruleId: rule.id, mask: rule.mask ?? [] };
    if (!closest || failures < closest.failures) closest = { rule, failures, ...first };
  }
  if (!closest) {
    return {
      allowed: false,
      scope,
      ruleId: `${policy.id}#default-deny`,
      code: PolicyDenyCode.NO_PERMISSION,
      reason: `no permission of policy ${policy.id} applies at ${scope} scope`,
    };
  }
  return {
    allowed: false,
    scope,
    ruleId: closest.rule.id,
    code: closest.outcome.code,
    reason: closest.outcome.reason,
    constraintIndex: closest.index,
  };
}
