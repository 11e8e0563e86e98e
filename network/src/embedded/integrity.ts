/**
 * The integrity check: re-verifies the whole chain — block numbers, hash links, every data
 * hash and every transaction's creator signature — and that the stored head matches.
 */
import type { IntegrityReport } from '../ledger-client.js';
import { dataHashOf, headerHashOf, type StoredBlock } from './block.js';
import type { SignatureVerifier } from './proposal.js';
import type { LedgerStore } from './store.js';

const CODES = new Set(['VALID', 'MVCC_READ_CONFLICT', 'PHANTOM_READ_CONFLICT', 'ENDORSEMENT_POLICY_FAILURE', 'BAD_PAYLOAD']);

function checkBlock(block: StoredBlock, n: number, previousHash: string, verifier: SignatureVerifier): string[] {
  const reasons: string[] = [];
  const { header, data } = block;
  if (header.number !== n) reasons.push(`header number is ${String(header.number)}`);
  if (header.previousHash !== previousHash) reasons.push('previous hash does not match the previous block');
  if (dataHashOf(data) !== header.dataHash) reasons.push('data hash does not match the block data');
  data.transactions.forEach((tx, i) => {
    const bad = verifier.check({ proposal: tx.proposal, signature: tx.signature });
    if (bad) reasons.push(`transaction ${i}: ${bad}`);
    if (!CODES.has(tx.validationCode)) reasons.push(`transaction ${i}: unknown validation code`);
  });
  return reasons;
}

/** Verifies every stored block. Never throws for bad data: problems are reported with their block. */
export async function checkChain(store: LedgerStore, verifier: SignatureVerifier): Promise<IntegrityReport> {
  const problems: { block: number; reason: string }[] = [];
  const height = store.height;
  let previousHash = '';
  for (let n = 0; n < height; n++) {
    const text = await store.readBlockText(n);
    if (text === undefined) {
      problems.push({ block: n, reason: 'block is missing' });
      previousHash = '';
      continue;
    }
    let block: StoredBlock;
    try {
      block = JSON.parse(text) as StoredBlock;
      for (const reason of checkBlock(block, n, previousHash, verifier)) problems.push({ block: n, reason });
      previousHash = headerHashOf(block.header);
    } catch (e) {
      problems.push({ block: n, reason: `block is unreadable: ${(e as Error).message}` });
      previousHash = '';
    }
  }
  if (height > 0 && previousHash !== store.headHash) {
    problems.push({ block: height - 1, reason: 'stored chain head does not match the last block' });
  }
  return problems.length === 0
    ? { ok: true, height, headHash: store.headHash }
    : { ok: false, height, headHash: store.headHash, problems };
}
