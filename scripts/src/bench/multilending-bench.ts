/**
 * multilending.check_ms.<n>: the ledger cost of a multi-lending check (`lending:GetCheckResult`,
 * evaluated on the embedded ledger running the real chaincode) for one subject with 1, 100 and
 * 10,000 recorded lending events, against the check as it was before the per-subject aggregates
 * — every event of the subject read from the event log and counted — measured on the same
 * ledger, the same state and in the same process. Goal: the check does not grow with history.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { contracts, LendingContract, MAX_LENDING_BATCH } from '@xinlian/chaincode';
import { createEmbeddedIdentity, createEmbeddedLedger, type EmbeddedLedger, type LedgerClient } from '@xinlian/network';
import { Wallet } from 'ethers';
import { percentile, type BenchContext } from './context.js';
import { newResult, type BenchResult } from './results.js';

const DAY_MS = 86_400_000;
const HISTORY = [1, 100, 10_000] as const;
const TYPES = ['application', 'loan', 'repayment', 'overdue', 'settled'] as const;

interface KvIterator {
  next(): Promise<{ value?: { key: string; value: Uint8Array }; done?: boolean }>;
  close(): Promise<void>;
}

/** The smallest slice of the fabric-contract-api context the baseline uses. */
interface Ctx {
  stub: {
    createCompositeKey(type: string, attributes: string[]): string;
    getState(key: string): Promise<Uint8Array>;
    putState(key: string, value: Uint8Array): Promise<void>;
    getStateByRange(start: string, end: string): Promise<KvIterator>;
    getTxTimestamp(): { seconds: { toString(): string } | number };
  };
}

// The chaincode's Contract base class, taken from a contract so the bench needs no fabric dependency.
const Contract = Object.getPrototypeOf(LendingContract) as new (name: string) => object;

/**
 * Bench-only contract, on the bench's own ledger beside the real ones: `Plant` writes a check
 * request record as `lending:RequestCheck` would (no consent machinery needed to time the
 * read), `Scan` is the baseline — the pre-aggregate check: read the check, read EVERY lending
 * event of its subject from the `lending~<subject>~` log, count windows, overdue and open loans.
 */
class BaselineCheck extends Contract {
  constructor() {
    super('bench-check');
  }

  async Plant(ctx: Ctx, checkId: string, requester: string, subjectToken: string, requestedAt: string): Promise<string> {
    const request = { checkId, requester, subjectToken, consentId: 'bench', productId: 'bench', purpose: 'pre_loan', requestedAt, txId: 'bench' };
    await ctx.stub.putState(ctx.stub.createCompositeKey('check', [checkId]), new TextEncoder().encode(JSON.stringify(request)));
    return '{}';
  }

  async Scan(ctx: Ctx, checkId: string): Promise<string> {
    const decode = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as Record<string, string>;
    const request = decode(await ctx.stub.getState(ctx.stub.createCompositeKey('check', [checkId])));
    const at = Date.parse(request['requestedAt']!);
    const events: { type: string; institution: string; t: number }[] = [];
    const iterator = await ctx.stub.getStateByRange(`lending~${request['subjectToken']}~`, `lending~${request['subjectToken']}~~`);
    try {
      for (;;) {
        const r = await iterator.next();
        if (r.value && r.value.value.length > 0) {
          const e = decode(r.value.value);
          const t = Date.parse(e['occurredAt']!);
          if (e['institution'] !== request['requester'] && t <= at) events.push({ type: e['type']!, institution: e['institution']!, t });
        }
        if (r.done) break;
      }
    } finally {
      await iterator.close();
    }
    const windows = Object.fromEntries(
      [7, 15, 30, 90, 180, 365].map((n) => {
        const apps = events.filter((e) => e.type === 'application' && e.t > at - n * DAY_MS);
        return [`${n}d`, { institutions: new Set(apps.map((e) => e.institution)).size, applications: apps.length }];
      }),
    );
    const open = new Map<string, number>();
    for (const e of events) {
      if (e.type === 'loan') open.set(e.institution, (open.get(e.institution) ?? 0) + 1);
      if (e.type === 'settled') open.set(e.institution, (open.get(e.institution) ?? 1) - 1);
    }
    return JSON.stringify({ checkId, windows, openLoans: [...open.values()].reduce((a, b) => a + b, 0) });
  }
}

/** Lifecycle-valid events for one lender: application, loan, repayment…, overdue, settled, repeated. */
function history(subjectToken: string, count: number, nowMs: number): { subjectToken: string; type: string; amount?: number; occurredAt: string }[] {
  // spread over the last nine years, oldest first
  const span = 9 * 365 * DAY_MS;
  return Array.from({ length: count }, (_, i) => {
    const type = count === 1 ? 'application' : TYPES[i % TYPES.length]!;
    return { subjectToken, type, ...(type === 'loan' || type === 'repayment' ? { amount: 100_000 } : {}), occurredAt: new Date(nowMs - span + Math.floor((span * i) / count)).toISOString() };
  });
}

interface Fixture {
  readonly ledger: EmbeddedLedger;
  readonly checker: LedgerClient;
  readonly reporter: LedgerClient;
}

async function openFixture(dir: string): Promise<Fixture> {
  const ledger = await createEmbeddedLedger({ dataDir: join(dir, 'ledger'), contracts: [...contracts, BaselineCheck] });
  const msp = join(dir, 'msp');
  const regulator = ledger.connect(await createEmbeddedIdentity({ mspId: 'RegulatorMSP', name: 'regulator', dir: msp }));
  await regulator.submit('institutions:Initialize', [JSON.stringify({ id: 'regulator', name: 'Regulator', roles: ['regulator'], signerAddress: Wallet.createRandom().address })]);
  const admit = async (id: string): Promise<LedgerClient> => {
    const identity = await createEmbeddedIdentity({ mspId: 'LenderMSP', name: id, dir: msp });
    await regulator.submit('institutions:Admit', [JSON.stringify({ id, name: id, roles: ['microlender'], signerAddress: Wallet.createRandom().address, mspId: identity.mspId, clientId: identity.clientId })]);
    return ledger.connect(identity);
  };
  return { ledger, checker: await admit('checker'), reporter: await admit('reporter') };
}

/** Median and p99 ms of `runs` evaluations. */
async function time(runs: number, call: () => Promise<unknown>): Promise<{ median: number; p99: number }> {
  for (let i = 0; i < 3; i++) await call(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await call();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { median: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** The multi-lending check's cost against the length of a subject's history. */
export async function benchMultiLending(ctx: BenchContext): Promise<BenchResult[]> {
  const f = await openFixture(join(ctx.tmpDir, 'multilending'));
  const runs = ctx.quick ? 30 : 100;
  const results: BenchResult[] = [];
  const timings: { n: number; ours: number }[] = [];

  try {
    for (const n of HISTORY) {
      const subject = `0x${randomBytes(32).toString('hex')}`;
      const events = history(subject, n, Date.now());
      const bar = ctx.progress(`multilending: recording ${n} events`, events.length);
      for (let i = 0; i < events.length; i += MAX_LENDING_BATCH) {
        await f.reporter.submit('lending:Record', [`bench-${n}-${i}`, JSON.stringify(events.slice(i, i + MAX_LENDING_BATCH))]);
        bar.update(Math.min(events.length, i + MAX_LENDING_BATCH));
      }
      bar.stop();
      const checkId = `bench-check-${n}`;
      await f.checker.submit('bench-check:Plant', [checkId, 'checker', subject, new Date().toISOString()]);
      const ours = await time(runs, () => f.checker.evaluate('lending:GetCheckResult', [checkId]));
      const base = await time(runs, () => f.checker.evaluate('bench-check:Scan', [checkId]));
      timings.push({ n, ours: ours.median });
      ctx.log(`multilending: ${n} events — check ${ours.median.toFixed(2)} ms (p99 ${ours.p99.toFixed(2)}), full scan ${base.median.toFixed(2)} ms (p99 ${base.p99.toFixed(2)})`);
      results.push(
        newResult({
          name: `multilending.check_ms.${n}`,
          value: ours.median,
          unit: 'ms',
          better: 'lower',
          baseline: `the pre-aggregate check: every one of the subject's ${n} events read from the event log (same ledger, same process)`,
          baselineValue: base.median,
          note: `median of ${runs} evaluations of lending:GetCheckResult on the embedded ledger; events spread over nine years (${Math.min(n, Math.ceil(n / 9))} in the last year); p99 ${ours.p99.toFixed(2)} ms vs ${base.p99.toFixed(2)} ms`,
        }),
      );
    }
    const first = timings[0]!.ours;
    const last = timings[timings.length - 1]!.ours;
    const [one, , many] = results;
    results.push(
      newResult({
        name: 'multilending.check_growth',
        value: last / first,
        unit: 'x',
        better: 'lower',
        baseline: 'the pre-aggregate check: its 10,000-event time over its 1-event time',
        baselineValue: many!.baselineValue! / one!.baselineValue!,
        target: 'at 10,000 events, at least 5x faster than reading every event (the check reads one key per lender and active day of the last 365 days, one per lender, whatever the history)',
        targetMet: (many!.ratio ?? 0) >= 5,
        note: 'check time at 10,000 events / at 1 event; what grows is the last year\'s active days (up to 366 per lender), not the history',
      }),
    );
  } finally {
    await f.ledger.close();
  }
  return results;
}
