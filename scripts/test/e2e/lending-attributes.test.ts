/**
 * Blinded application attributes over the real gateway port: the lender's connector turns a
 * phone (and any other identifier) into a consortium-keyed token before anything leaves it;
 * the ledger's blocks and event payloads hold the token and never the plain value; the answer
 * echoes nothing; attributes on any other event type are refused with 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './harness.js';
import { expectError } from './flows.js';
import { eventPayloads, ledgerTexts } from './ledger-scan.js';

const LENDER = 'microloan-a';
const PHONE = '+86 139-0571-2468';
const PHONE_DIGITS = '13905712468';
const ADDRESS = '杭州市西湖区文三路 88 号 3 号楼';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({ enterprises: 60 });
});
afterAll(async () => {
  await e2e?.close();
});

describe('blinded application attributes over the real port', () => {
  it('puts the blinded token on the ledger and never the plain phone; echoes nothing', async () => {
    const uscc = e2e.credentials.subjects[0]!.uscc;
    const res = await e2e.call<Record<string, unknown>>('/v1/lending-events', {
      as: LENDER,
      body: { events: [{ uscc, type: 'application', occurredAt: new Date().toISOString(), attributes: { phone: PHONE, address: ADDRESS, bankAccount: '6222 0212 0000 1234' } }] },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ accepted: 1, txIds: [expect.any(String)] });
    expect(res.body).not.toHaveProperty('attributes');
    expect(res.text).not.toContain(PHONE_DIGITS);

    // the same consortium key blinds at every connector; the phone's formatting does not matter
    const expected = e2e.provider.subjects.blindAttributes({ phone: PHONE_DIGITS, address: ADDRESS });
    expect(expected.phone).toMatch(/^0x[0-9a-f]{64}$/);
    expect(e2e.provider.subjects.blindAttributes({ phone: '139 0571 2468' }).phone).toBe(expected.phone);

    const ledger = e2e.consortium.ledger;
    const blocks = await ledgerTexts(ledger);
    const events = await eventPayloads(ledger, e2e.provider.ledger);
    const texts = [...blocks.map((b) => b.text), ...events.map((e) => e.payload)];
    const holding = blocks.filter((b) => b.text.includes(expected.phone!) && b.text.includes(expected.address!));
    expect(holding.length).toBeGreaterThan(0);
    // stored with the event: a state write (not only the proposal's arguments) holds the tokens
    const written: string[] = [];
    for (let n = 0; n < ledger.height; n++) {
      for (const tx of (await ledger.readBlock(n))!.data.transactions) {
        for (const [, value] of tx.rwset.writes) if (value !== null) written.push(Buffer.from(value, 'base64').toString('utf8'));
      }
    }
    expect(written.filter((w) => w.includes(expected.phone!) && w.includes(expected.address!) && w.includes('"type":"application"'))).toHaveLength(1);
    // whole values only: a short run of digits may occur by chance inside any hex hash
    for (const plain of [PHONE, PHONE_DIGITS, '139-0571-2468', '文三路', ADDRESS, '6222 0212 0000 1234', '6222021200001234']) {
      expect(texts.filter((t) => t.includes(plain)), plain).toEqual([]);
    }
  });

  it('refuses attributes on a loan with 400 and records nothing', async () => {
    const uscc = e2e.credentials.subjects[1]!.uscc;
    const heightBefore = e2e.consortium.ledger.height;
    const res = await e2e.call('/v1/lending-events', {
      as: LENDER,
      body: { events: [{ uscc, type: 'application', occurredAt: new Date().toISOString() }, { uscc, type: 'loan', amount: 100_000, occurredAt: new Date().toISOString(), attributes: { phone: PHONE } }] },
    });
    expectError(res, 400, 'BAD_REQUEST');
    expect(res.text).not.toContain(PHONE_DIGITS);
    expect(e2e.consortium.ledger.height).toBe(heightBefore);
  });

  it('refuses an unknown attribute kind and an empty value with 400', async () => {
    const uscc = e2e.credentials.subjects[2]!.uscc;
    for (const attributes of [{ email: 'a@b.cn' }, { phone: '' }, {}]) {
      const res = await e2e.call('/v1/lending-events', { as: LENDER, body: { events: [{ uscc, type: 'application', occurredAt: new Date().toISOString(), attributes }] } });
      expectError(res, 400, 'BAD_REQUEST');
    }
  });
});
