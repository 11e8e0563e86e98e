/**
 * The integrity check: re-verifies the whole chain — block numbers, hash links, every data
 * hash and every transaction's creator signature — and that the stored head matches. The
 * deep check also replays every valid transaction's writes, block by block, into a fresh
 * state and compares it with the stored world state, key by key: a state record edited in
 * LevelDB (a revoked consent set back to active) passes the chain check but not this one.
 */
import type { DeepIntegrityReport, IntegrityReport, StateMismatch } from '../ledger-client.js';
import { dataHashOf, headerHashOf, type StoredBlock } from './block.js';
import type { SignatureVerifier } from './proposal.js';
import type { LedgerStore, StateView } from './store.js';

const CODES = new Set(['VALID', 'MVCC_READ_CONFLICT', 'PHANTOM_READ_CONFLICT', 'ENDORSEMENT_POLICY_FAILURE', 'BAD_PAYLOAD']);
/** Differences listed in a deep report (all are counted). */
const MISMATCHES_LISTED = 100;

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

/** A state entry as the blocks imply it: value base64 and the (block, tx) that wrote it. */
interface Replayed {
  readonly value: string;
  readonly block: number;
  readonly tx: number;
}

/** Applies the writes of a block's valid transactions, as the committer did. */
function replayBlock(state: Map<string, Replayed>, block: StoredBlock, n: number): void {
  block.data.transactions.forEach((tx, i) => {
    if (tx.validationCode !== 'VALID') return;
    for (const [key, value] of tx.rwset.writes) {
      if (value === null) state.delete(key);
      else state.set(key, { value, block: n, tx: i });
    }
  });
}

/**
 * Verifies every stored block (and, with `deep`, the world state against them). Reads one
 * consistent snapshot: blocks committed while the check runs are not part of it. Never
 * throws for bad data: problems are reported with their block, state differences with their key.
 */
export async function checkChain(store: LedgerStore, verifier: SignatureVerifier, options: { readonly deep?: boolean } = {}): Promise<IntegrityReport> {
  // The deep check reads height, head and state from one snapshot; blocks are never rewritten.
  const consistent = options.deep ? await store.consistentView() : undefined;
  const height = consistent?.height ?? store.height;
  const headHash = consistent?.headHash ?? store.headHash;
  const view = consistent?.view;
  try {
    const problems: { block: number; reason: string }[] = [];
    const replayed = new Map<string, Replayed>();
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
        if (view) replayBlock(replayed, block, n);
      } catch (e) {
        problems.push({ block: n, reason: `block is unreadable: ${(e as Error).message}` });
        previousHash = '';
      }
    }
    if (height > 0 && previousHash !== headHash) {
      problems.push({ block: height - 1, reason: 'stored chain head does not match the last block' });
    }
    const deep = view ? await compareState(replayed, view) : undefined;
    const ok = problems.length === 0 && (deep?.ok ?? true);
    return {
      ok,
      height,
      headHash,
      ...(problems.length > 0 ? { problems } : {}),
      ...(deep ? { deep } : {}),
    };
  } finally {
    await view?.close();
  }
}

/** Walks the stored state in key order and compares it with the replayed one. */
async function compareState(replayed: Map<string, Replayed>, view: StateView): Promise<DeepIntegrityReport> {
  const keys = replayed.size;
  const mismatches: StateMismatch[] = [];
  let count = 0;
  const note = (key: string, reason: StateMismatch['reason']): void => {
    count++;
    if (mismatches.length < MISMATCHES_LISTED) mismatches.push({ key, reason });
  };
  const range = view.range('', '');
  try {
    for (let entry = await range.next(); entry; entry = await range.next()) {
      const expected = replayed.get(entry.key);
      if (!expected) {
        note(entry.key, 'unexpected');
        continue;
      }
      replayed.delete(entry.key);
      if (entry.value.toString('base64') !== expected.value) note(entry.key, 'value');
      else if (entry.version.block !== expected.block || entry.version.tx !== expected.tx) note(entry.key, 'version');
    }
  } finally {
    await range.close();
  }
  for (const key of [...replayed.keys()].sort()) note(key, 'missing');
  return { ok: count === 0, keys, mismatches, mismatchCount: count };
}
