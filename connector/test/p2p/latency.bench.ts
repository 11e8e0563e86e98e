/**
 * Manual measurement (not part of the test suite): request/response latency
 * between two real libp2p nodes on loopback, reusing one connection with a new
 * stream per request, including the four signatures operations (request sign +
 * verify, response sign + verify).
 *
 * Run: `npx vitest bench --run connector/test/p2p/latency.bench.ts`
 */
import { afterAll, bench, describe } from 'vitest';
import { ok, protocolId } from '../../src/p2p/index.js';
import { startPeer, stopPeer, type PeerDirectory } from './fixtures.js';

const ECHO = protocolId('bench-echo');
const directory: PeerDirectory = new Map();
const provider = await startPeer({ institutionId: 'inst-provider', directory });
const consumer = await startPeer({ institutionId: 'inst-consumer', directory });
await provider.rr.handle(ECHO, async (body) => ok(body ?? null));
const small = { productId: 'p-1', subjectToken: `0x${'ab'.repeat(32)}`, purpose: 'pre-loan' };
const large = { rows: Array.from({ length: 500 }, (_, i) => ({ i, score: i % 900, band: 'B' })) };
await consumer.rr.request(provider.node.getMultiaddrs(), ECHO, small); // open the connection; later requests reuse it

describe('libp2p request/response on loopback', () => {
  afterAll(async () => {
    await Promise.all([stopPeer(provider), stopPeer(consumer)]);
  });

  bench('small body (~150 B), sequential', async () => {
    await consumer.rr.request(provider.node.peerId, ECHO, small);
  }, { time: 3_000 });

  bench('~20 KB body, sequential', async () => {
    await consumer.rr.request(provider.node.peerId, ECHO, large);
  }, { time: 3_000 });

  bench('8 concurrent small requests', async () => {
    await Promise.all(Array.from({ length: 8 }, () => consumer.rr.request(provider.node.peerId, ECHO, small)));
  }, { time: 3_000 });
});
