import { describe, expect, it } from 'vitest';
import { CodedError, ErrorCode } from '@xinlian/chaincode';
import { ConnectorErrorCode, ExchangeErrorCode, P2PErrorCode, PolicyDenyCode } from '@xinlian/connector';
import { ChaincodeError, LedgerError, LedgerErrorCode } from '@xinlian/network';
import { mapError } from '../src/error-map.js';
import { GatewayError, GatewayErrorCode } from '../src/errors.js';

const coded = (code: string, message = `[${code}] something`, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { code, ...extra });

/** Every code of every layer's table: none may fall through to an unmapped 500. */
const ALL_CODES: readonly string[] = [
  ...Object.values(ErrorCode),
  ...Object.values(LedgerErrorCode),
  ...Object.values(ConnectorErrorCode),
  ...Object.values(ExchangeErrorCode),
  ...Object.values(P2PErrorCode),
  ...Object.values(PolicyDenyCode),
  ...Object.values(GatewayErrorCode),
];

describe('error map', () => {
  it('maps every code of the chaincode, ledger, connector and gateway tables explicitly', () => {
    const unmapped = ALL_CODES.filter((code) => mapError(new CodedError(code, `[${code}] x`)).unmapped);
    expect(unmapped).toEqual([]);
  });

  it.each([
    ['GW_BAD_REQUEST', 400, 'BAD_REQUEST'],
    ['GW_PAYLOAD_TOO_LARGE', 413, 'BAD_REQUEST'],
    ['GW_UNAUTHENTICATED', 401, 'UNAUTHENTICATED'],
    ['GW_INSTITUTION_SUSPENDED', 403, 'FORBIDDEN'],
    ['GW_RATE_LIMITED', 429, 'RATE_LIMITED'],
    ['GW_CONFLICT', 409, 'CONFLICT'],
    [ErrorCode.BAD_REQUEST, 400, 'BAD_REQUEST'],
    [ErrorCode.UNKNOWN_CALLER, 403, 'FORBIDDEN'],
    [ErrorCode.INVALID_STATE, 409, 'CONFLICT'],
    [ErrorCode.INSTITUTION_INACTIVE, 409, 'CONFLICT'],
    [ErrorCode.INSTITUTION_SUSPENDED, 403, 'FORBIDDEN'],
    [ErrorCode.FORBIDDEN, 403, 'FORBIDDEN'],
    [ErrorCode.NOT_FOUND, 404, 'NOT_FOUND'],
    [ErrorCode.CONFLICT, 409, 'CONFLICT'],
    [ErrorCode.BAD_SIGNATURE, 422, 'CONSENT_INVALID'],
    [ErrorCode.CONSENT_NOT_FOUND, 422, 'CONSENT_INVALID'],
    [ErrorCode.CONSENT_REVOKED, 422, 'CONSENT_INVALID'],
    [ErrorCode.CONSENT_EXPIRED, 422, 'CONSENT_INVALID'],
    [ErrorCode.CONSENT_GRANTEE_MISMATCH, 422, 'CONSENT_INVALID'],
    [ErrorCode.CONTRACT_INACTIVE, 422, 'CONTRACT_INVALID'],
    [ErrorCode.CONTRACT_EXPIRED, 422, 'CONTRACT_INVALID'],
    [ErrorCode.CONTRACT_MISMATCH, 422, 'CONTRACT_INVALID'],
    [ErrorCode.PURPOSE_NOT_ALLOWED, 403, 'POLICY_DENIED'],
    [ErrorCode.PRODUCT_INACTIVE, 409, 'CONFLICT'],
    [ErrorCode.LENDING_SEQUENCE, 409, 'CONFLICT'],
    [ErrorCode.CHECK_EXPIRED, 404, 'NOT_FOUND'],
    // a failure inside the chaincode is the ledger at fault: retry later
    [ErrorCode.INTERNAL, 503, 'UNAVAILABLE'],
    [ConnectorErrorCode.BAD_INPUT, 400, 'BAD_REQUEST'],
    [ConnectorErrorCode.BAD_POLICY, 400, 'BAD_REQUEST'],
    [ConnectorErrorCode.NOT_FOUND, 404, 'NOT_FOUND'],
    [ConnectorErrorCode.CONFLICT, 409, 'CONFLICT'],
    [ConnectorErrorCode.STORE_UNAVAILABLE, 503, 'UNAVAILABLE'],
    [ExchangeErrorCode.CONTRACT_INVALID, 422, 'CONTRACT_INVALID'],
    [ExchangeErrorCode.CONSENT_INVALID, 422, 'CONSENT_INVALID'],
    [ExchangeErrorCode.SUBJECT_UNKNOWN, 404, 'NOT_FOUND'],
    [ExchangeErrorCode.PRODUCT_UNAVAILABLE, 404, 'NOT_FOUND'],
    [ExchangeErrorCode.REQUEST_CONFLICT, 409, 'CONFLICT'],
    [ExchangeErrorCode.INSTITUTION_UNREACHABLE, 503, 'UNAVAILABLE'],
    // issue 10: a report for a kind without a model, a contract for one's own product
    ['CONN_KIND_UNSUPPORTED', 422, 'CONTRACT_INVALID'],
    ['CONN_OWN_PRODUCT', 409, 'CONFLICT'],
    [P2PErrorCode.PEER_UNAUTHORIZED, 403, 'FORBIDDEN'],
    [P2PErrorCode.PEER_UNREACHABLE, 503, 'UNAVAILABLE'],
    [P2PErrorCode.REPLAY, 503, 'UNAVAILABLE'],
    [P2PErrorCode.KEYS_CORRUPT, 500, 'INTERNAL'],
    [PolicyDenyCode.PURPOSE, 403, 'POLICY_DENIED'],
    [PolicyDenyCode.MAX_USES, 403, 'POLICY_DENIED'],
    [LedgerErrorCode.UNAVAILABLE, 503, 'UNAVAILABLE'],
    [LedgerErrorCode.TIMEOUT, 503, 'UNAVAILABLE'],
    [LedgerErrorCode.MVCC_READ_CONFLICT, 503, 'UNAVAILABLE'],
    [LedgerErrorCode.ENDORSEMENT_FAILED, 503, 'UNAVAILABLE'],
    [LedgerErrorCode.INVALID_TRANSACTION, 503, 'UNAVAILABLE'],
    [LedgerErrorCode.INTEGRITY_FAILED, 503, 'UNAVAILABLE'],
    [LedgerErrorCode.BAD_REQUEST, 500, 'INTERNAL'],
  ])('maps %s to %i %s', (code, status, publicCode) => {
    const mapped = mapError(new CodedError(code, `[${code}] something`));
    expect(mapped.status).toBe(status);
    expect(mapped.body.error.code).toBe(publicCode);
  });

  it('maps the network package errors by their code', () => {
    expect(mapError(new LedgerError('LEDGER_UNAVAILABLE', 'peer0 down')).status).toBe(503);
    const denied = mapError(new ChaincodeError('CC_CONSENT_REVOKED', '[CC_CONSENT_REVOKED] consent c-42 was revoked', { recorded: true }));
    expect(denied).toMatchObject({ status: 422, body: { error: { code: 'CONSENT_INVALID', message: 'consent c-42 was revoked', reason: 'CC_CONSENT_REVOKED' } } });
  });

  it('keeps the rule of a policy denial, and only there', () => {
    expect(mapError(coded('CONN_POLICY_CLEARANCE', 'level 3 needs a bank', { rule: 'classification-max' })).body.error).toEqual({
      code: 'POLICY_DENIED',
      message: 'level 3 needs a bank',
      rule: 'classification-max',
      reason: 'CONN_POLICY_CLEARANCE',
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
    expect(mapError(remote('DENIED', ExchangeErrorCode.CONSENT_INVALID))).toMatchObject({ status: 422, body: { error: { code: 'CONSENT_INVALID' } } });
    expect(mapError(remote('NOT_FOUND', 'CONN_SUBJECT_UNKNOWN'))).toMatchObject({ status: 404 });
    expect(mapError(remote('ERROR', 'CONN_INTERNAL'))).toMatchObject({ status: 503, hidden: true });
    expect(mapError(remote('DENIED', 'SOMETHING_ELSE'))).toMatchObject({ status: 403, body: { error: { code: 'POLICY_DENIED', rule: 'SOMETHING_ELSE' } } });
    expect(mapError(coded('CONN_REMOTE_DENIED', 'no detail'))).toMatchObject({ status: 403, body: { error: { rule: 'CONN_REMOTE_DENIED' } } });
  });

  it('names a rule for every POLICY_DENIED, falling back to the internal code', () => {
    expect(mapError(coded('CC_PURPOSE_NOT_ALLOWED')).body.error.rule).toBe('CC_PURPOSE_NOT_ALLOWED');
  });

  it('hides 5xx messages and reports unknown codes as unmapped 500s', () => {
    const unknown = mapError(coded('CC_NOT_IN_ANY_TABLE', 'secret detail'), 'req-1');
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
