/**
 * provenance.verify.rps: POST /v1/provenance/verify (hash, provider signature, receipt,
 * contract and consent on the ledger) under load from a separate process, against bare
 * ethers verifyTypedData of the same receipt in this process.
 */
import { receiptTypedData } from '@xinlian/chaincode';
import { verifyTypedData } from 'ethers';
import { secondsSince, type BenchContext } from './context.js';
import { BENCH_LENDER, BENCH_PRODUCT, type BenchConsortium } from './consortium-fixture.js';
import { runLoad } from './load.js';
import { newResult, type BenchResult } from './results.js';

/** Runs the provenance benchmark on an open bench consortium. */
export async function benchProvenance(ctx: BenchContext, bench: BenchConsortium): Promise<BenchResult[]> {
  const lender = bench.connector(BENCH_LENDER);
  const uscc = bench.usccs[0]!;
  const contract = await lender.consumer.negotiate({ productId: BENCH_PRODUCT, purpose: 'pre_loan' });
  const consentId = await bench.grantConsent(uscc, [BENCH_PRODUCT]);
  const { report, receipt } = await lender.consumer.requestReport({ contractId: contract.contractId, consentId, subjectToken: lender.subjects.tokenOf(uscc) });
  const body = JSON.stringify({ report, receipt });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${bench.apiKeys.get('guarantor')!}` };
  const url = `${bench.url}/v1/provenance/verify`;
  const probe = await fetch(url, { method: 'POST', headers, body });
  const verdict = (await probe.json()) as { valid?: boolean };
  if (probe.status !== 200 || verdict.valid !== true) throw new Error(`provenance verify answered ${probe.status}: ${JSON.stringify(verdict)}`);

  const typed = receiptTypedData(receipt);
  const bare = (n: number): number => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) verifyTypedData(typed.domain, typed.types, typed.message, receipt.signature);
    return n / secondsSince(start);
  };
  bare(50); // warm-up
  const baseline = bare(ctx.quick ? 300 : 1500);

  const seconds = ctx.quick ? 5 : 15;
  ctx.log(`provenance: POST /v1/provenance/verify, 8 connections, ${seconds} s…`);
  await runLoad({ url, method: 'POST', headers, body, connections: 8, durationSeconds: 1 });
  const load = await runLoad({ url, method: 'POST', headers, body, connections: 8, durationSeconds: seconds });
  return [
    newResult({
      name: 'provenance.verify.rps',
      value: load.rps,
      unit: 'verifications/s',
      baseline: 'bare ethers verifyTypedData of the same receipt, one thread',
      baselineValue: baseline,
      target: '>= 0.50 of the baseline',
      targetMet: load.rps / baseline >= 0.5,
      note: `through the gateway as a guarantor (4 ledger reads + the signature check per verification), 8 connections, ${seconds} s; p50 ${load.p50Ms} ms`,
    }),
  ];
}
