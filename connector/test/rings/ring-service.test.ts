import { describe, expect, it } from 'vitest';
import type { EnterpriseRecord } from '../../src/domain/index.js';
import { RingService, type RingServiceComponents } from '../../src/rings/index.js';

const NOW = Date.parse('2025-06-30T00:00:00Z');
const DAY = 86_400_000;
const at = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString();

/** Only the fields the detector reads; the rest of a record is irrelevant here. */
function record(uscc: string, phone: string, applications: [string, number][]): EnterpriseRecord {
  return {
    uscc,
    phone,
    address: `某区某路${uscc}号`,
    legalRepresentative: `P-${uscc}`,
    lending: applications.map(([lenderId, daysAgo]) => ({ lenderId, type: 'application' as const, occurredAt: at(daysAgo) })),
  } as unknown as EnterpriseRecord;
}

function serviceOver(records: EnterpriseRecord[]): RingService {
  const byUscc = new Map(records.map((r) => [r.uscc, r]));
  const enterprises = {
    async *values() {
      yield* byUscc.values();
    },
    get: async (uscc: string) => byUscc.get(uscc),
  };
  return new RingService({ institutionId: 'provider', store: { enterprises }, now: () => new Date(NOW) } as unknown as RingServiceComponents);
}

describe('RingService', () => {
  it('an application from the data feed that closes a ring is found incrementally', async () => {
    const shared = '17055550000';
    const rings = serviceOver([record('A', shared, [['L1', 12], ['L2', 11]]), record('B', shared, [['L3', 10]]), record('C', shared, []), record('D', '13800000000', [])]);
    expect((await rings.detector()).ringOf('A')).toBeUndefined();
    expect(await rings.onApplication('D', { lender: 'L4', atMs: NOW - 9 * DAY })).toEqual({ joined: false });
    const update = await rings.onApplication('C', { lender: 'L4', atMs: NOW - 9 * DAY });
    expect(update).toMatchObject({ joined: true, ring: { size: 3, sharedAttributes: ['phone'], lenders30d: 4 } });
    expect((await rings.detector()).ringOf('A')?.ringId).toBe(update!.ring!.ringId);
    expect(await rings.onApplication('nobody', { lender: 'L1', atMs: NOW })).toBeUndefined();
  });
});

describe('RingService.answer (provider side)', () => {
  const request = { checkId: 'rc-1', requester: 'lender', subjectToken: '0xtoken', consentId: 'c-1', productId: 'ring-1', provider: 'provider', purpose: 'pre_loan', txId: 'tx' };
  function provider(requestedAgoMs: number, recorded: unknown[]): RingService {
    const components = {
      institutionId: 'provider',
      now: () => new Date(NOW),
      ledger: {
        getRingCheck: async () => ({ ...request, requestedAt: new Date(NOW - requestedAgoMs).toISOString() }),
        checkConsent: async () => ({ valid: true }),
      },
      subjects: { enterpriseOf: async () => undefined },
      store: { enterprises: { async *values() {}, get: async () => undefined } },
      writer: { record: async (id: string, write: unknown) => void recorded.push({ id, write }) },
    };
    return new RingService(components as unknown as RingServiceComponents);
  }
  const ctx = { institutionId: 'lender', envelope: { nonce: 'n-1' } } as never;

  it('answers a check requested less than 15 minutes ago, refuses (and records) an older one', async () => {
    const recorded: unknown[] = [];
    expect(await provider(14 * 60_000, recorded).answer({ checkId: 'rc-1' }, ctx)).toEqual({ status: 'OK', body: { inRing: false, alert: false } });
    expect(recorded).toEqual([]);
    expect(await provider(15 * 60_000, recorded).answer({ checkId: 'rc-1' }, ctx)).toMatchObject({ status: 'DENIED', code: 'CONN_CONSENT_INVALID', rule: 'check-fresh' });
    expect(recorded).toEqual([{ id: 'refusal:lender:n-1', write: { name: 'audit:RecordRefusals', args: [expect.stringContaining('"requester":"lender"')] } }]);
  });
});
