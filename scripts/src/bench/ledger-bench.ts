/**
 * ledger.embedded.tps: committed lending-event transactions per second on the embedded
 * ledger, against raw classic-level batch writes of the same bytes (the committed blocks,
 * their state writes and transaction index, one synced batch per block).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { contracts } from '@xinlian/chaincode';
import { createEmbeddedIdentity, createEmbeddedLedger, type EmbeddedLedger, type LedgerClient } from '@xinlian/network';
import { Wallet } from 'ethers';
import { runPool, secondsSince, type BenchContext } from './context.js';
import { newResult, type BenchResult } from './results.js';

interface LedgerFixture {
  readonly ledger: EmbeddedLedger;
  readonly lender: LedgerClient;
  readonly tokens: readonly string[];
}

async function openFixture(dir: string): Promise<LedgerFixture> {
  const ledger = await createEmbeddedLedger({ dataDir: join(dir, 'ledger'), contracts });
  const msp = join(dir, 'msp');
  const regulator = ledger.connect(await createEmbeddedIdentity({ mspId: 'RegulatorMSP', name: 'regulator', dir: msp }));
  const lenderId = await createEmbeddedIdentity({ mspId: 'LenderMSP', name: 'lender', dir: msp });
  await regulator.submit('institutions:Initialize', [
    JSON.stringify({ id: 'regulator', name: 'Regulator', roles: ['regulator'], signerAddress: Wallet.createRandom().address }),
  ]);
  await regulator.submit('institutions:Admit', [
    JSON.stringify({
      id: 'lender', name: 'Lender', roles: ['microlender'], signerAddress: Wallet.createRandom().address,
      mspId: lenderId.mspId, clientId: lenderId.clientId,
    }),
  ]);
  // One subject per transaction: transactions in flight together never update the same
  // (lender, subject) lifecycle record (which would be an MVCC conflict, not throughput).
  const tokens = Array.from({ length: 200_000 }, () => `0x${randomBytes(32).toString('hex')}`);
  return { ledger, lender: ledger.connect(lenderId), tokens };
}

function eventsArg(f: LedgerFixture, i: number, count: number, at: string): string {
  const events = Array.from({ length: count }, (_, k) => ({
    subjectToken: f.tokens[(i * count + k) % f.tokens.length]!,
    type: 'application',
    amount: 100_000,
    occurredAt: at,
  }));
  return JSON.stringify(events);
}

/** Submits `total` single-event transactions with `inFlight` at once; returns tx/s and the blocks used. */
async function submitRun(f: LedgerFixture, total: number, inFlight: number, ctx: BenchContext, label: string): Promise<{ tps: number; cpuUsPerTx: number; firstBlock: number; lastBlock: number }> {
  const firstBlock = f.ledger.height;
  const at = new Date().toISOString();
  const bar = ctx.progress(label, total);
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const run = randomBytes(4).toString('hex');
  await runPool(total, inFlight, async (i) => {
    await f.lender.submit('lending:Record', [`bench-${run}-${i}`, eventsArg(f, i, 1, at)]);
  }, (done) => { if (done % 500 === 0 || done === total) bar.update(done); });
  const seconds = secondsSince(start);
  const used = process.cpuUsage(cpu);
  bar.stop();
  return { tps: total / seconds, cpuUsPerTx: (used.user + used.system) / total, firstBlock, lastBlock: f.ledger.height - 1 };
}

/** Replays blocks [first, last] of the ledger as raw batch writes into a fresh classic-level; returns tx/s. */
async function replayRaw(ledger: EmbeddedLedger, first: number, last: number, dir: string): Promise<number> {
  const blocks: { key: string; value: Buffer }[][] = [];
  let txs = 0;
  for (let n = first; n <= last; n++) {
    const block = await ledger.readBlock(n);
    if (!block) continue;
    const puts: { key: string; value: Buffer }[] = [{ key: `b:${n}`, value: Buffer.from(JSON.stringify(block)) }];
    for (const tx of block.data.transactions) {
      txs++;
      puts.push({ key: `t:${tx.proposal.txId}`, value: Buffer.from(JSON.stringify({ block: n, code: tx.validationCode })) });
      if (tx.validationCode !== 'VALID') continue;
      for (const [key, value] of tx.rwset.writes) if (value !== null) puts.push({ key: `s:${key}`, value: Buffer.from(value, 'base64') });
    }
    blocks.push(puts);
  }
  const db = new ClassicLevel<string, Buffer>(dir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
  await db.open();
  try {
    const start = process.hrtime.bigint();
    for (const puts of blocks) {
      const batch = db.batch();
      for (const p of puts) batch.put(p.key, p.value);
      await batch.write({ sync: true });
    }
    return txs / secondsSince(start);
  } finally {
    await db.close();
  }
}

/**
 * Runs the embedded-ledger benchmark: single (one transaction in flight at a time) and
 * batched (many in flight, cut into blocks of up to 500).
 */
export async function benchLedger(ctx: BenchContext): Promise<BenchResult[]> {
  const f = await openFixture(join(ctx.tmpDir, 'ledger-bench'));
  try {
    const batchedTotal = ctx.quick ? 10_000 : 50_000;
    const singleTotal = ctx.quick ? 200 : 1_000;
    await submitRun(f, 1000, 500, ctx, 'ledger: warm-up'); // JIT, caches
    const batched = await submitRun(f, batchedTotal, 1000, ctx, 'ledger: batched submissions');
    const rawBatched = await replayRaw(f.ledger, batched.firstBlock, batched.lastBlock, join(ctx.tmpDir, 'raw-batched'));
    const single = await submitRun(f, singleTotal, 1, ctx, 'ledger: single submissions');
    const rawSingle = await replayRaw(f.ledger, single.firstBlock, single.lastBlock, join(ctx.tmpDir, 'raw-single'));
    const blocks = batched.lastBlock - batched.firstBlock + 1;
    return [
      newResult({
        name: 'ledger.embedded.tps',
        value: batched.tps,
        unit: 'tx/s',
        baseline: 'classic-level batch writes of the same blocks, state writes and tx index (one synced batch per block)',
        baselineValue: rawBatched,
        target: '>= 5,000 tx/s and >= 0.30 of the baseline',
        targetMet: batched.tps >= 5_000 && batched.tps / rawBatched >= 0.3,
        note: `batched: ${batchedTotal} one-event lending:Record transactions, 1000 in flight, ${blocks} blocks, fsync per block; process CPU ${Math.round(batched.cpuUsPerTx)} µs/tx (all threads)`,
      }),
      newResult({
        name: 'ledger.embedded.tps_single',
        value: single.tps,
        unit: 'tx/s',
        baseline: 'classic-level writes of the same blocks (one synced batch per block)',
        baselineValue: rawSingle,
        note: `single: ${singleTotal} transactions, one in flight (a block and an fsync per transaction)`,
      }),
    ];
  } finally {
    await f.ledger.close();
  }
}
