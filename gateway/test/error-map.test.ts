import { describe, expect, it } from 'vitest';
import { ChaincodeError, LedgerError } from '@xinlian/network';
import { mapError } from '../src/error-map.js';
import { GatewayError } from '../src/errors.js';

const coded = (code: string, message = `[${code}] something`, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { code, ...extra });

describe('error map', () => {
  it.each([
    ['GW_BAD_REQUEST', 400, 'BAD_REQUEST'],
    ['GW_PAYLOAD_TOO_LARGE', 413, 'BAD_REQUEST'],
    ['GW_UNAUTHENTICATED', 401, 'UNAUTHENTICATED'],
    ['GW_INSTITUTION_SUSPENDED', 403, 'FORBIDDEN'],
    ['GW_RATE_LIMITED', 429, 'RATE_LIMITED'],
    ['CC_BAD_REQUEST', 400, 'BAD_REQUEST'],
    ['CC_UNKNOWN_CALLER', 403, 'FORBIDDEN'],
    ['CC_INVALID_STATE', 409, 'CONFLICT'],
    ['CC_INSTITUTION_INACTIVE', 409, 'CONFLICT'],
    ['CC_BAD_SIGNATURE', 422, 'CONSENT_INVALID'],
    ['CC_CONSENT_NOT_FOUND', 422, 'CONSENT_INVALID'],
    ['CC_CONSENT_GRANTEE_MISMATCH', 422, 'CONSENT_INVALID'],
    ['CC_CONTRACT_INACTIVE', 422, 'CONTRACT_INVALID'],
    ['CC_CONTRACT_MISMATCH', 422, 'CONTRACT_INVALID'],
    ['CC_PURPOSE_NOT_ALLOWED', 403, 'POLICY_DENIED'],
    ['CC_PRODUCT_INACTIVE', 409, 'CONFLICT'],
    ['CC_CHECK_EXPIRED', 404, 'NOT_FOUND'],
    ['CC_INTERNAL', 500, 'INTERNAL'],
    ['CONN_BAD_INPUT', 400, 'BAD_REQUEST'],
    ['CONN_BAD_POLICY', 400, 'BAD_REQUEST'],
    ['CONN_NOT_FOUND', 404, 'NOT_FOUND'],
    ['CONN_CONFLICT', 409, 'CONFLICT'],
    ['CONN_STORE_UNAVAILABLE', 503, 'UNAVAILABLE'],
    ['CONN_CONTRACT_INVALID', 422, 'CONTRACT_INVALID'],
    ['CONN_CONSENT_INVALID', 422, 'CONSENT_INVALID'],
    ['CONN_SUBJECT_UNKNOWN', 404, 'NOT_FOUND'],
    ['CONN_PRODUCT_UNAVAILABLE', 404, 'NOT_FOUND'],
    ['CONN_INSTITUTION_UNREACHABLE', 503, 'UNAVAILABLE'],
    ['CONN_PEER_UNAUTHORIZED', 403, 'FORBIDDEN'],
    ['CONN_PEER_UNREACHABLE', 503, 'UNAVAILABLE'],
    ['CONN_KEYS_CORRUPT', 500, 'INTERNAL'],
    ['CONN_POLICY_PURPOSE', 403, 'POLICY_DENIED'],
    ['CONN_POLICY_MAX_USES', 403, 'POLICY_DENIED'],
    ['CC_FORBIDDEN', 403, 'FORBIDDEN'],
    ['CC_ROLE_REQUIRED', 403, 'FORBIDDEN'],
    ['CC_INSTITUTION_SUSPENDED', 403, 'FORBIDDEN'],
    ['CC_NOT_FOUND', 404, 'NOT_FOUND'],
    ['CC_PRODUCT_NOT_FOUND', 404, 'NOT_FOUND'],
    ['CC_CONFLICT', 409, 'CONFLICT'],
    ['CC_CERTIFICATE_IN_USE', 409, 'CONFLICT'],
    ['CC_CONSENT_REVOKED', 422, 'CONSENT_INVALID'],
    ['CC_CONSENT_EXPIRED', 422, 'CONSENT_INVALID'],
    ['CC_CONTRACT_NOT_ACTIVE', 422, 'CONTRACT_INVALID'],
    ['CC_POLICY_DENIED', 403, 'POLICY_DENIED'],
    ['CONN_POLICY_DENIED', 403, 'POLICY_DENIED'],
    ['CONN_CONSENT_MISMATCH', 422, 'CONSENT_INVALID'],
    ['CONN_PEER_UNAVAILABLE', 503, 'UNAVAILABLE'],
    ['CONN_DIAL_FAILED', 503, 'UNAVAILABLE'],
    ['CONN_REPLAY', 503, 'UNAVAILABLE'],
    ['LEDGER_UNAVAILABLE', 503, 'UNAVAILABLE'],
    ['LEDGER_TIMEOUT', 503, 'UNAVAILABLE'],
    ['LEDGER_MVCC_READ_CONFLICT', 503, 'UNAVAILABLE'],
    ['LEDGER_ENDORSEMENT_FAILED', 500, 'INTERNAL'],
    ['LEDGER_SOMETHING_NEW', 500, 'INTERNAL'],
  ])('maps %s to %i %s', (code, status, publicCode) => {
    const mapped = mapError(coded(code));
    expect(mapped.status).toBe(status);
    expect(mapped.body.error.code).toBe(publicCode);
  });

  it('maps the network package errors by their code', () => {
    expect(mapError(new LedgerError('LEDGER_UNAVAILABLE', 'peer0 down')).status).toBe(503);
    const denied = mapError(new ChaincodeError('CC_CONSENT_REVOKED', '[CC_CONSENT_REVOKED] consent c-42 was revoked', { recorded: true }));
    expect(denied).toMatchObject({ status: 422, body: { error: { code: 'CONSENT_INVALID', message: 'consent c-42 was revoked', reason: 'CC_CONSENT_REVOKED' } } });
  });

  it('keeps the rule of a policy denial, and only there', () => {
    expect(mapError(coded('CONN_POLICY_DENIED', 'level 3 needs a bank', { rule: 'classification-max' })).body.error).toEqual({
      code: 'POLICY_DENIED',
      message: 'level 3 needs a bank',
      rule: 'classification-max',
      reason: 'CONN_POLICY_DENIED',
    });
    expect(mapError(new GatewayError('GW_POLICY_DENIED', 'no', { rule: 'r1' })).body.error.rule).toBe('r1');
    expect(mapError(coded('CC_NOT_FOUND', 'x', { rule: 'r' })).body.error).not.toHaveProperty('rule');
  });

  it('maps a refusal reported by the remote institution by its own code and rule', () => {
    const remote = (status: string, code: string, rule?: string) =>
      coded(`CONN_REMOTE_${status}`, 'remote refused', { remote: { status, code, message: `[${code}] says the provider`, institutionId: 'prov-1', ...(rule ? { rule } : {}) } });
    expect(mapError(remote('DENIED', 'CONN_POLICY_PURPOSE', 'risk-policy#purposes')).body.error).toEqual({
      code: 'POLICY_DENIED',
      message: 'says the provider',
      rule: 'risk-policy#purposes',
      reason: 'CONN_POLICY_PURPOSE',
    });
    expect(mapError(remote('DENIED', 'CONN_CONSENT_INVALID'))).toMatchObject({ status: 422, body: { error: { code: 'CONSENT_INVALID' } } });
    expect(mapError(remote('NOT_FOUND', 'CONN_SUBJECT_UNKNOWN'))).toMatchObject({ status: 404 });
    expect(mapError(remote('ERROR', 'CONN_INTERNAL'))).toMatchObject({ status: 503, hidden: true });
    expect(mapError(remote('DENIED', 'SOMETHING_ELSE'))).toMatchObject({ status: 403, body: { error: { code: 'POLICY_DENIED', rule: 'SOMETHING_ELSE' } } });
    expect(mapError(coded('CONN_REMOTE_DENIED', 'no detail'))).toMatchObject({ status: 403, body: { error: { rule: 'CONN_REMOTE_DENIED' } } });
  });

  it('names a rule for every POLICY_DENIED, falling back to the internal code', () => {
    expect(mapError(coded('CC_PURPOSE_NOT_ALLOWED')).body.error.rule).toBe('CC_PURPOSE_NOT_ALLOWED');
  });

  it('hides 5xx messages and reports unknown codes as unmapped 500s', () => {
    const unknown = mapError(coded('CC_BRAND_NEW', 'secret detail'), 'req-1');
    expect(unknown).toEqual({ status: 500, hidden: true, unmapped: true, body: { error: { code: 'INTERNAL', message: 'internal error', requestId: 'req-1' } } });
    const plain = mapError(new RangeError('at /srv/x.ts:10'));
    expect(plain).toMatchObject({ status: 500, hidden: true, unmapped: true });
    expect(JSON.stringify(plain.body)).not.toContain('/srv');
    const unavailable = mapError(coded('LEDGER_UNAVAILABLE', 'orderer at 10.1.1.1 refused'));
    expect(unavailable).toMatchObject({ status: 503, hidden: true, unmapped: false });
    expect(JSON.stringify(unavailable.body)).not.toContain('10.1.1.1');
  });

  it('never throws, whatever is thrown', () => {
    for (const thing of [undefined, null, 42, 'text', Symbol('s'), { code: 7 }, { message: 1 }, Object.create(null)]) {
      expect(mapError(thing).status).toBe(500);
    }
  });

  it('keeps the status of fastify client errors with a 4xx public code', () => {
    expect(mapError(Object.assign(new Error('Unsupported Media Type'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }))).toMatchObject({
      status: 415,
      body: { error: { code: 'BAD_REQUEST', message: 'unsupported Content-Type: send application/json' } },
    });
    expect(mapError(Object.assign(new Error('body must be object'), { code: 'FST_ERR_VALIDATION', statusCode: 400, validation: [] })).body.error.code).toBe('BAD_REQUEST');
    expect(mapError(Object.assign(new Error('Rate limit'), { statusCode: 429 })).body.error.code).toBe('RATE_LIMITED');
    expect(mapError(Object.assign(new Error('boom'), { code: 'FST_ERR_SOMETHING', statusCode: 500 })).status).toBe(500);
  });
});
