/**
 * The exchange's baseline: a libp2p echo between two nodes with the connector's transport
 * stack (TCP + Noise + Yamux, one length-prefixed frame each way on a new stream per
 * request), with no signatures, ledger or model.
 */
import { join } from 'node:path';
import { createP2PNode, loadOrCreateInstitutionKeys } from '@xinlian/connector';
import { readFrame, writeFrame } from '@xinlian/connector/p2p/wire';
import type { Libp2p } from '@libp2p/interface';
import { percentile, runPool, secondsSince } from './context.js';

const PROTOCOL = '/xinlian-bench/echo/1.0.0';
const LIMIT = 4 * 1024 * 1024;

export interface EchoFigures {
  readonly p50Ms: number;
  readonly rps: number;
}

/** Measures `sequential` echoes one at a time (p50) and `total` with `concurrency` at once (rps). */
export async function measureEcho(dir: string, payloadBytes: number, sequential: number, total: number, concurrency: number): Promise<EchoFigures> {
  const [a, b] = await Promise.all([keysNode(join(dir, 'echo-a'), true), keysNode(join(dir, 'echo-b'), false)]);
  try {
    await a.handle(PROTOCOL, async (stream) => {
      const signal = AbortSignal.timeout(10_000);
      try {
        const frame = await readFrame(stream, LIMIT, signal);
        await writeFrame(stream, frame, signal);
      } catch {
        stream.abort(new Error('echo failed'));
      }
    });
    const connection = await b.dial(a.getMultiaddrs()[0]!);
    const payload = new Uint8Array(payloadBytes).fill(0x61);
    const once = async (): Promise<void> => {
      const signal = AbortSignal.timeout(10_000);
      const stream = await connection.newStream(PROTOCOL, { signal });
      const reply = readFrame(stream, LIMIT, signal);
      await writeFrame(stream, payload, signal);
      if ((await reply).byteLength !== payloadBytes) throw new Error('echo returned a different size');
    };
    for (let i = 0; i < 20; i++) await once(); // warm-up
    const samples: number[] = [];
    for (let i = 0; i < sequential; i++) {
      const t = process.hrtime.bigint();
      await once();
      samples.push(secondsSince(t) * 1000);
    }
    const start = process.hrtime.bigint();
    await runPool(total, concurrency, once);
    return { p50Ms: percentile(samples, 50), rps: total / secondsSince(start) };
  } finally {
    await Promise.allSettled([a.stop(), b.stop()]);
  }
}

async function keysNode(dir: string, listen: boolean): Promise<Libp2p> {
  const keys = await loadOrCreateInstitutionKeys(dir);
  return createP2PNode({ privateKey: keys.libp2pPrivateKey, ...(listen ? { listen: ['/ip4/127.0.0.1/tcp/0'] } : {}) });
}
