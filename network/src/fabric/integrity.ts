/** checkIntegrity for Fabric: walks every block through qscc and re-verifies the chain. */
import type { IntegrityReport } from '../ledger-client.js';
import type { ChannelQueries } from './qscc.js';

/**
 * Verifies block numbers, previous-hash links, data hashes and the creator signature of every
 * endorser transaction, and that the last header hash equals the peer's current block hash.
 * One qscc call per block: meant for audits, not hot paths.
 *
 * @throws LedgerError `LEDGER_UNAVAILABLE` / `LEDGER_TIMEOUT` when the peer cannot answer.
 */
export async function checkChain(queries: ChannelQueries): Promise<IntegrityReport> {
  const { height, currentBlockHash } = await queries.chainInfo();
  const problems: { block: number; reason: string }[] = [];
  let previousHash = '';
  for (let n = 0n; n < height; n++) {
    const block = await queries.block(n, height);
    const at = Number(n);
    if (!block) {
      problems.push({ block: at, reason: 'block is missing' });
      previousHash = '';
      continue;
    }
    const { info } = block;
    if (info.number !== n) problems.push({ block: at, reason: `header number is ${info.number.toString()}` });
    if (n > 0n && info.previousHash !== previousHash) problems.push({ block: at, reason: 'previous hash does not match the previous block' });
    if (!block.dataHashMatches) problems.push({ block: at, reason: 'data hash does not match the block data' });
    for (const reason of block.signatureProblems) problems.push({ block: at, reason });
    previousHash = info.hash;
  }
  if (height > 0n && previousHash !== currentBlockHash) {
    problems.push({ block: Number(height) - 1, reason: "the peer's current block hash does not match the last block" });
  }
  const report = { height: Number(height), headHash: previousHash };
  return problems.length === 0 ? { ok: true, ...report } : { ok: false, ...report, problems };
}
