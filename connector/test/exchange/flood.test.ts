import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { multiaddr } from '@multiformats/multiaddr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Protocols, type JsonValue } from '../../src/p2p/index.js';
import { refusalsRecordedFor } from './support/audit.js';
import { LENDER_A, PRODUCTS, TestConsortium } from './support/consortium.js';
import { startRawRequester, type RawRequester } from './support/raw-requester.js';

const TOKEN = `0x${'ab'.repeat(32)}`;

/** Signed requests from an admitted member whose bodies are malformed in every way we could think of. */
const BAD_BODIES: (JsonValue | undefined)[] = [
  undefined,
  null,
  42,
  'transfer please',
  [],
  {},
  { requestId: 'r', contractId: 'c', consentId: 'k' },
  { requestId: 'r', contractId: 'c', consentId: 'k', subjectToken: 'not-a-token' },
  { requestId: '', contractId: 'c', consentId: 'k', subjectToken: TOKEN },
  { requestId: 'r'.repeat(500), contractId: 'c', consentId: 'k', subjectToken: TOKEN },
  { requestId: 'r', contractId: { $gt: '' }, consentId: 'k', subjectToken: TOKEN },
  { requestId: 'r', contractId: 'c/../../x', consentId: 'k', subjectToken: TOKEN },
  { agreement: { contractId: 'c' }, consumerSignature: '0x00' },
  { agreement: null, consumerSignature: `0x${'11'.repeat(65)}` },
];

/**
 * Runs `tasks` eight at a time. (A burst of about 28 or more requests on a fresh connection
 * gets every stream reset: a p2p-layer limit reported separately, not what this test is about.)
 */
async function inWaves<T>(tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < tasks.length; i += 8) out.push(...(await Promise.all(tasks.slice(i, i + 8).map((t) => t()))));
  return out;
}

describe('a flood of bad messages leaves the provider serving', () => {
  let c: TestConsortium;
  let member: RawRequester;
  let stranger: RawRequester;

  beforeAll(async () => {
    c = await TestConsortium.open();
    member = await startRawRequester({ institutionId: LENDER_A, provider: c.provider, keysDir: join(c.dir, 'institutions', LENDER_A, 'keys') });
    stranger = await startRawRequester({ institutionId: 'mallory', provider: c.provider });
  });
  afterAll(async () => {
    await member?.stop();
    await stranger?.stop();
    await c?.close();
  });

  it('refuses every malformed request of a member with a coded answer, and records each refusal', async () => {
    const before = (await refusalsRecordedFor(c, LENDER_A)).length;
    const protocols = [Protocols.TRANSFER, Protocols.NEGOTIATION];
    const answers = await inWaves(protocols.flatMap((p) => BAD_BODIES.map((body) => () => member.ask(p, body))));
    for (const a of answers) expect(a).toMatchObject({ status: 'DENIED', code: 'CONN_BAD_MESSAGE' });
    const after = await refusalsRecordedFor(c, LENDER_A);
    expect(after.length - before).toBe(answers.length);
  });

  it('answers strangers and garbage without reaching the handlers or the ledger', async () => {
    const before = (await refusalsRecordedFor(c, 'mallory')).length;
    const stranded = await inWaves(Array.from({ length: 20 }, () => () => stranger.ask(Protocols.TRANSFER, { hello: 'world' })));
    for (const a of stranded) expect(a).toMatchObject({ status: 'DENIED', code: 'CONN_PEER_UNAUTHORIZED' });

    const { addresses } = c.provider.endpoint;
    const garbage = async (bytes: Uint8Array): Promise<void> => {
      const stream = await stranger.node.dialProtocol(addresses.map((a) => multiaddr(a)), Protocols.TRANSFER, { signal: AbortSignal.timeout(5_000) });
      try {
        stream.send(bytes);
        await stream.close({ signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
      } finally {
        stream.abort(new Error('done'));
      }
    };
    const frames = [
      ...Array.from({ length: 20 }, () => randomBytes(64)),
      Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f), // absurd length prefix
      Uint8Array.of(0x80, 0x80, 0x80, 0x04), // 8 MiB announced, never sent
      new Uint8Array(0),
    ];
    await inWaves(frames.map((f) => () => garbage(f).catch(() => undefined)));
    expect(await refusalsRecordedFor(c, 'mallory')).toHaveLength(before);
  });

  it('still serves a legitimate transfer after the flood', async () => {
    const contract = await c.lenderA.consumer.negotiate({ productId: PRODUCTS.score.id, purpose: 'pre_loan' });
    const consentId = await c.grantConsent({ subject: c.subjects[0]!, grantee: LENDER_A, products: [PRODUCTS.score.id] });
    const { receipt } = await c.lenderA.consumer.requestReport({ contractId: contract.contractId, consentId, subjectToken: c.subjects[0]!.token });
    expect((await c.regulator.ledger.getReceipt(receipt.receiptId)).outputHash).toBe(receipt.outputHash);
    expect((await c.provider.store.outbox.pending()).length).toBe(0);
  });
});
