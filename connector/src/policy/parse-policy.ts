import { ConnectorError, ConnectorErrorCode } from '../domain/errors.js';
import {
  type Constraint,
  type Permission,
  type Policy,
  POLICY_SCOPES,
  type Prohibition,
} from './types.js';

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:._#/-]{0,127}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const MAX_RULES = 64;
const MAX_LIST = 256;

function bad(path: string, message: string): never {
  throw new ConnectorError(ConnectorErrorCode.BAD_POLICY, `${path}: ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function onlyKeys(v: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const k of Object.keys(v)) if (!allowed.includes(k)) bad(path, `unknown property "${k}"`);
}

function id(v: unknown, path: string): string {
  if (typeof v !== 'string' || !ID_PATTERN.test(v))
    bad(path, 'must be an id of 1–128 characters (letters, digits, : . _ # / -)');
  return v;
}

function stringList(v: unknown, path: string, pattern = ID_PATTERN): string[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_LIST)
    bad(path, `must be a non-empty array of at most ${MAX_LIST} strings`);
  v.forEach((s, i) => {
    if (typeof s !== 'string' || !pattern.test(s))
      bad(`${path}[${i}]`, 'must be a well-formed string');
  });
  return [...(v as string[])];
}

function positiveInt(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)
    bad(path, 'must be a positive integer');
  return v;
}

function constraint(v: unknown, path: string): Constraint {
  if (!isObject(v)) bad(path, 'must be an object { leftOperand, operator, rightOperand }');
  onlyKeys(v, ['leftOperand', 'operator', 'rightOperand'], path);
  const { leftOperand: left, operator: op, rightOperand: right } = v;
  const expectOp = (...ops: string[]) => {
    if (typeof op !== 'string' || !ops.includes(op))
      bad(
        `${path}.operator`,
        `must be ${ops.map((o) => `"${o}"`).join(' or ')} for ${String(left)}`,
      );
  };
  switch (left) {
    case 'institution':
    case 'role':
    case 'purpose':
      expectOp('isAnyOf');
      return {
        leftOperand: left,
        operator: 'isAnyOf',
        rightOperand: stringList(right, `${path}.rightOperand`),
      };
    case 'dateTime':
      expectOp('gt', 'gteq', 'lt', 'lteq');
      if (
        typeof right !== 'string' ||
        !ISO_INSTANT.test(right) ||
        Number.isNaN(Date.parse(right))
      ) {
        bad(
          `${path}.rightOperand`,
          'must be an ISO-8601 instant with a time zone, e.g. 2026-01-01T00:00:00Z',
        );
      }
      return {
        leftOperand: 'dateTime',
        operator: op as 'gt' | 'gteq' | 'lt' | 'lteq',
        rightOperand: right,
      };
    case 'count':
    case 'ratePerMinute':
      expectOp('lteq');
      return {
        leftOperand: left,
        operator: 'lteq',
        rightOperand: positiveInt(right, `${path}.rightOperand`),
      };
    case 'classification':
      expectOp('lteq');
      if (right !== 'consumerClearance') bad(`${path}.rightOperand`, 'must be "consumerClearance"');
      return { leftOperand: 'classification', operator: 'lteq', rightOperand: 'consumerClearance' };
    case 'consent':
      expectOp('eq');
      if (right !== true) bad(`${path}.rightOperand`, 'must be true');
      return { leftOperand: 'consent', operator: 'eq', rightOperand: true };
    default:
      return bad(
        `${path}.leftOperand`,
        'must be one of institution, role, purpose, dateTime, count, ratePerMinute, classification, consent',
      );
  }
}

function rule(v: unknown, path: string, isPermission: boolean): Permission {
  if (!isObject(v)) bad(path, 'must be an object');
  onlyKeys(
    v,
    isPermission ? ['id', 'scopes', 'constraints', 'mask'] : ['id', 'scopes', 'constraints'],
    path,
  );
  const out: {
    id: string;
    constraints: Constraint[];
    scopes?: (typeof POLICY_SCOPES)[number][];
    mask?: string[];
  } = {
    id: id(v['id'], `${path}.id`),
    constraints: [],
  };
  if (v['scopes'] !== undefined) {
    const scopes = stringList(v['scopes'], `${path}.scopes`);
    scopes.forEach((s, i) => {
      if (!(POLICY_SCOPES as readonly string[]).includes(s))
        bad(`${path}.scopes[${i}]`, 'must be catalog, negotiation or transfer');
    });
    out.scopes = scopes as (typeof POLICY_SCOPES)[number][];
  }
  const cs = v['constraints'];
  if (!Array.isArray(cs) || cs.length > MAX_LIST) bad(`${path}.constraints`, 'must be an array');
  out.constraints = cs.map((c, i) => constraint(c, `${path}.constraints[${i}]`));
  if (v['mask'] !== undefined) out.mask = stringList(v['mask'], `${path}.mask`, FIELD_PATH);
  return out;
}

/**
 * Validates an untrusted policy document and returns it as a typed {@link Policy}
 * (a fresh copy; unknown properties are refused, not dropped).
 * @throws ConnectorError `CONN_BAD_POLICY` with the path of the first problem, e.g.
 *   `permissions[0].constraints[1].rightOperand: must be a positive integer`.
 */
export function parsePolicy(input: unknown): Policy {
  if (!isObject(input)) bad('policy', 'must be a JSON object');
  onlyKeys(input, ['id', 'target', 'purposes', 'permissions', 'prohibitions'], 'policy');
  const policyId = id(input['id'], 'id');
  const lists = { permissions: input['permissions'], prohibitions: input['prohibitions'] ?? [] };
  for (const [name, list] of Object.entries(lists)) {
    if (!Array.isArray(list) || list.length > MAX_RULES)
      bad(name, `must be an array of at most ${MAX_RULES} rules`);
  }
  const permissions = (lists.permissions as unknown[]).map((r, i) =>
    rule(r, `permissions[${i}]`, true),
  );
  const prohibitions: Prohibition[] = (lists.prohibitions as unknown[]).map((r, i) =>
    rule(r, `prohibitions[${i}]`, false),
  );
  const seen = new Set<string>();
  [...permissions, ...prohibitions].forEach((r) => {
    if (seen.has(r.id)) bad('policy', `rule id "${r.id}" is used twice`);
    seen.add(r.id);
  });
  return {
    id: policyId,
    ...(input['target'] === undefined ? {} : { target: id(input['target'], 'target') }),
    ...(input['purposes'] === undefined
      ? {}
      : { purposes: stringList(input['purposes'], 'purposes') }),
    permissions,
    prohibitions,
  };
}
