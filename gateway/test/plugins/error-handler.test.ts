import { request as httpRequest } from 'node:http';
import { LedgerError, LedgerErrorCode } from '@xinlian/network';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, buildTestApp, errorOf, SIGNATURE, USCC, type TestApp } from '../support/test-app.js';

const json = { 'content-type': 'application/json' };
const consentMessage = {
  consentId: 'consent-1',
  subjectToken: `0x${'0a'.repeat(32)}`,
  grantee: 'ml-1',
  products: ['risk-score-v1'],
  purpose: 'pre_loan',
  validUntil: 1_900_000_000,
  issuedAt: 1_735_689_600,
};
const draft = { uscc: USCC[0], grantee: 'ml-1', products: ['risk-score-v1'], purpose: 'pre_loan', validUntil: '2030-01-01T00:00:00Z' };

type Case = readonly [string, string, string, Record<string, string>, string | object | undefined, number];

/** [name, method, url, headers, payload, expected status] — all must be 4xx BAD_REQUEST. */
const BAD_INPUT: readonly Case[] = [
  ['malformed JSON', 'POST', '/v1/consents/draft', json, '{"uscc": "91350100M000100Y43",', 400],
  ['empty JSON body', 'POST', '/v1/consents/draft', json, '', 400],
  ['JSON array instead of object', 'POST', '/v1/consents/draft', json, '[]', 400],
  ['prototype poisoning', 'POST', '/v1/consents/draft', json, '{"__proto__": {"admin": true}}', 400],
  ['wrong content type (xml)', 'POST', '/v1/consents/draft', { 'content-type': 'application/xml' }, '<uscc/>', 415],
  ['wrong content type (text)', 'POST', '/v1/consents/draft', { 'content-type': 'text/plain' }, JSON.stringify(draft), 415],
  ['wrong type', 'POST', '/v1/consents/draft', json, { ...draft, products: 'risk-score-v1' }, 400],
  ['number where a string is due', 'POST', '/v1/subjects', json, { uscc: 913501, signers: [ADDRESS] }, 400],
  ['missing field', 'POST', '/v1/consents/draft', json, { uscc: USCC[0], grantee: 'ml-1', products: ['p'], purpose: 'pre_loan' }, 400],
  ['unknown field', 'POST', '/v1/consents/draft', json, { ...draft, admin: true }, 400],
  ['unknown nested field', 'POST', '/v1/consents', json, { message: { ...consentMessage, extra: 1 }, signature: SIGNATURE }, 400],
  ['bad USCC check character', 'POST', '/v1/consents/draft', json, { ...draft, uscc: '91350100M000100Y44' }, 400],
  ['USCC in lower case', 'POST', '/v1/consents/draft', json, { ...draft, uscc: '91350100m000100y43' }, 400],
  ['USCC with a letter outside the alphabet', 'POST', '/v1/consents/draft', json, { ...draft, uscc: '9135010OM000100Y43' }, 400],
  ['USCC too short', 'POST', '/v1/subjects', json, { uscc: '91350100M000100Y4', signers: [ADDRESS] }, 400],
  ['bad purpose', 'POST', '/v1/consents/draft', json, { ...draft, purpose: 'marketing' }, 400],
  ['bad date', 'POST', '/v1/consents/draft', json, { ...draft, validUntil: 'next tuesday' }, 400],
  ['signature without 0x', 'POST', '/v1/consents', json, { message: consentMessage, signature: '1b'.repeat(65) }, 400],
  ['signature too short', 'POST', '/v1/consents', json, { message: consentMessage, signature: '0x1234' }, 400],
  ['signature not hex', 'POST', '/v1/consents/consent-1/revocation', json, { signature: `0x${'zz'.repeat(65)}` }, 400],
  ['subject token upper case', 'POST', '/v1/consents', json, { message: { ...consentMessage, subjectToken: `0x${'0A'.repeat(32)}` }, signature: SIGNATURE }, 400],
  ['bad signer address', 'POST', '/v1/subjects', json, { uscc: USCC[0], signers: ['0x12'] }, 400],
  ['negative amount', 'POST', '/v1/lending-events', json, { events: [{ uscc: USCC[0], type: 'loan', amount: -1, occurredAt: '2025-01-01T00:00:00Z' }] }, 400],
  ['fractional amount', 'POST', '/v1/lending-events', json, { events: [{ uscc: USCC[0], type: 'loan', amount: 1.5, occurredAt: '2025-01-01T00:00:00Z' }] }, 400],
  ['amount as a string', 'POST', '/v1/lending-events', json, { events: [{ uscc: USCC[0], type: 'loan', amount: '100', occurredAt: '2025-01-01T00:00:00Z' }] }, 400],
  ['unknown lending event type', 'POST', '/v1/lending-events', json, { events: [{ uscc: USCC[0], type: 'gift', occurredAt: '2025-01-01T00:00:00Z' }] }, 400],
  ['empty batch', 'POST', '/v1/lending-events', json, { events: [] }, 400],
  ['bad id in path', 'GET', '/v1/consents/%20drop%20table', {}, undefined, 400],
  ['bad body on a body-less POST', 'POST', '/v1/consents/consent-1/revocation/draft', json, { anything: 1 }, 400],
];

describe('bad input is always a 4xx with a clear message', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ bodyLimit: 64 * 1024 });
  });
  afterAll(async () => {
    await t.app.close();
  });

  it.each(BAD_INPUT)('refuses %s with a 4xx', async (_name, method, url, headers, payload, status) => {
    const caller = url.startsWith('/v1/subjects') ? 'op-1' : 'ml-1';
    const before = t.services.calls.length;
    const res = await t.as(caller, { method: method as 'GET' | 'POST', url, headers, ...(payload !== undefined ? { payload } : {}) });
    expect(errorOf(res)).toMatchObject({ status, code: 'BAD_REQUEST' });
    expect(errorOf(res).message.length).toBeGreaterThan(5);
    expect(res.body).not.toContain('    at ');
    // nothing reached the services except the cached suspension check
    expect(t.services.calls.slice(before).filter((c) => c.method !== 'institutionStatus')).toEqual([]);
  });

  it('names the offending field in the message', async () => {
    const unknown = await t.as('ml-1', { method: 'POST', url: '/v1/consents/draft', payload: { ...draft, admin: true } });
    expect(errorOf(unknown).message).toBe('body has unknown field(s): admin');
    const uscc = await t.as('ml-1', { method: 'POST', url: '/v1/consents/draft', payload: { ...draft, uscc: '91350100M000100Y44' } });
    expect(errorOf(uscc).message).toContain('body/uscc is not a valid unified social credit code');
    const missing = await t.as('ml-1', { method: 'POST', url: '/v1/multi-lending/check', payload: {} });
    expect(errorOf(missing).message).toBe('body is missing required field(s): uscc, consentId');
  });

  it('answers a body over the limit with 413 and the error JSON', async () => {
    const huge = { ...draft, grantee: 'x'.repeat(100 * 1024) };
    const res = await t.as('ml-1', { method: 'POST', url: '/v1/consents/draft', payload: huge });
    expect(errorOf(res)).toMatchObject({ status: 413, code: 'BAD_REQUEST' });
  });

  it('rejects bad audit query parameters with 400', async () => {
    for (const query of ['type=everything', 'limit=0', 'limit=abc', 'limit=5000', 'from=yesterday', 'sort=desc']) {
      const res = await t.as('reg-1', { method: 'GET', url: `/v1/audit/events?${query}` });
      expect(errorOf(res), query).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    }
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    const res = await t.as('ml-1', { method: 'GET', url: '/v1/nothing-here' });
    expect(errorOf(res)).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});

describe('unexpected errors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('become a 500 INTERNAL with a hidden message, a request id and no stack', async () => {
    t.services.failNext('listProducts', new TypeError('cannot read secret of undefined at /srv/secret/path.ts'));
    const res = await t.as('ml-1', { method: 'GET', url: '/v1/catalog', headers: { 'x-request-id': 'req-500' } });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'INTERNAL', message: 'internal error', requestId: 'req-500' } });
    expect(res.body).not.toContain('secret');
  });

  it('hide non-Error throws too', async () => {
    t.services.failNext('listProducts', 'a string thrown by mistake');
    const res = await t.as('ml-1', { method: 'GET', url: '/v1/catalog' });
    expect(errorOf(res)).toMatchObject({ status: 500, code: 'INTERNAL', message: 'internal error' });
  });

  it('hide the message of 503s', async () => {
    t.services.failNext('listProducts', new LedgerError(LedgerErrorCode.UNAVAILABLE, 'orderer 10.0.0.7:7050 refused'));
    const res = await t.as('ml-1', { method: 'GET', url: '/v1/catalog' });
    expect(errorOf(res)).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
    expect(res.body).not.toContain('10.0.0.7');
  });
});

describe('errors of the HTTP parser on a real socket', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await buildTestApp({ maxHeaderSize: 4096 });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('answers headers over the limit with 431 and the error JSON', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/healthz', headers: { 'x-big': 'y'.repeat(8192) } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(431);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'BAD_REQUEST', message: 'request headers are too large' } });
  });
});
