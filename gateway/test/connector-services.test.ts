/**
 * The connector-backed services over stand-in connectors that fail exactly as the real ledger
 * client does (ChaincodeError with the chaincode's codes, LedgerError), behind a real port:
 * only CC_NOT_FOUND means "absent"; a ledger fault is 503, never a 403 "not a member";
 * refusals are recorded by the operator's connector, or the next one when it cannot.
 */
import type { Connector } from '@xinlian/connector';
import { ErrorCode } from '@xinlian/chaincode';
import { ChaincodeError, LedgerError, LedgerErrorCode } from '@xinlian/network';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryApiKeyStore } from '../src/auth/api-key-store.js';
import { buildApp } from '../src/app.js';
import { createConnectorServices, lendingBatchId } from '../src/connector-services.js';
import type { GatewayRefusal } from '../src/services.js';

const KEY = 'key-of-ml-1-0123456789abcdefghij';
const cc = (code: ErrorCode, message: string) => new ChaincodeError(code, `[${code}] ${message}`);

interface Stub {
  getInstitution?: (id: string) => Promise<unknown>;
  recordRefusals?: (list: readonly GatewayRefusal[]) => Promise<unknown>;
  getConsent?: (id: string) => Promise<unknown>;
  getContract?: (id: string) => Promise<unknown>;
}

function connector(stub: Stub): Connector {
  return { ledger: { ...stub, listProducts: async () => [] } } as unknown as Connector;
}

describe('connector services', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function serve(connectors: Map<string, Connector>): Promise<string> {
    const app = await buildApp({
      services: createConnectorServices({ connectors }),
      apiKeys: createMemoryApiKeyStore([{ apiKey: KEY, institutionId: 'ml-1', roles: ['microlender'] }]),
      statusCacheMs: 1,
      defaultMetrics: false,
      docs: false,
      recordRefusals: false,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    close = () => app.close();
    const address = app.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  }

  it('answers 503 when the ledger fails while checking the caller, not 403 "not a member"', async () => {
    const url = await serve(new Map([['ml-1', connector({ getInstitution: () => Promise.reject(new LedgerError(LedgerErrorCode.UNAVAILABLE, 'peer down')) })]]));
    const res = await fetch(`${url}/v1/catalog`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'UNAVAILABLE' } });
  });

  it('answers 503 for a chaincode failure other than CC_NOT_FOUND (e.g. CC_INTERNAL)', async () => {
    const url = await serve(new Map([['ml-1', connector({ getInstitution: () => Promise.reject(cc(ErrorCode.INTERNAL, 'state unreadable')) })]]));
    const res = await fetch(`${url}/v1/catalog`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(503);
  });

  it('treats CC_NOT_FOUND as "not a member" (403)', async () => {
    const url = await serve(new Map([['ml-1', connector({ getInstitution: () => Promise.reject(cc(ErrorCode.NOT_FOUND, 'institution ml-1 not found')) })]]));
    const res = await fetch(`${url}/v1/catalog`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(403);
  });

  it("answers 404 for a consent that names another grantee, as if it did not exist", async () => {
    const url = await serve(
      new Map([
        [
          'ml-1',
          connector({
            getInstitution: async () => ({ status: 'active' }),
            getConsent: async (id) => ({ consentId: id, grantee: 'ml-2', products: ['p'], purpose: 'pre_loan', validUntil: '2030-01-01T00:00:00Z', status: 'active', signature: '0x' }),
          }),
        ],
      ]),
    );
    const res = await fetch(`${url}/v1/consents/c-1`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND', message: 'consent c-1 not found' } });
  });

  it('answers 404 for a contract between other institutions, as if it did not exist', async () => {
    const url = await serve(
      new Map([
        [
          'ml-1',
          connector({
            getInstitution: async () => ({ status: 'active' }),
            getContract: async (id) => ({ contractId: id, provider: 'prov-1', consumer: 'ml-2', productId: 'p', purpose: 'pre_loan', validUntil: '2030-01-01T00:00:00Z', status: 'active' }),
          }),
        ],
      ]),
    );
    const res = await fetch(`${url}/v1/contracts/k-1`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.status).toBe(404);
  });

  it('answers /readyz 503 when a connector is not ready, naming the failing check', async () => {
    const ready = { ready: true, checks: { p2p: true, ledger: true, outbox: true } };
    const stalled = { ready: false, checks: { p2p: true, ledger: true, outbox: false } };
    const url = await serve(
      new Map([
        ['ml-1', { ...connector({}), readiness: async () => ready } as unknown as Connector],
        ['ml-2', { ...connector({}), readiness: async () => stalled } as unknown as Connector],
      ]),
    );
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ready: false, checks: { ledger: true, connector: false, p2p: true, outbox: false } });
  });

  it('records refusals through the preferred connector, and through the next one when it is suspended', async () => {
    const written: string[] = [];
    const operator = connector({ recordRefusals: async () => Promise.reject(cc(ErrorCode.INSTITUTION_SUSPENDED, 'operator is suspended')) });
    const other = connector({ recordRefusals: async (list) => void written.push(...list.map((r) => r.requester)) });
    const services = createConnectorServices({ connectors: new Map([['other', other], ['operator', operator]]), refusalRecorder: 'operator' });
    await services.recordRefusals([{ action: 'GET /v1/x', code: 'GW_FORBIDDEN', message: 'no', requester: 'ml-9' }]);
    expect(written).toEqual(['ml-9']);

    const down = connector({ recordRefusals: async () => Promise.reject(new LedgerError(LedgerErrorCode.UNAVAILABLE, 'down')) });
    const failing = createConnectorServices({ connectors: new Map([['operator', down], ['other', other]]), refusalRecorder: 'operator' });
    await expect(failing.recordRefusals([{ action: 'a', code: 'GW_FORBIDDEN', message: 'm', requester: 'r' }])).rejects.toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
  });

  it('derives the lending batch id from the institution and its key; without a key, a fresh one each time', () => {
    const id = lendingBatchId('ml-1', 'k-1');
    expect(id).toMatch(/^idem:[0-9a-f]{40}$/);
    expect(lendingBatchId('ml-1', 'k-1')).toBe(id);
    expect(lendingBatchId('ml-2', 'k-1')).not.toBe(id);
    expect(lendingBatchId('ml-1', undefined)).not.toBe(lendingBatchId('ml-1', undefined));
  });
});
