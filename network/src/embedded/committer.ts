/**
 * Turns an ordered batch of endorsed transactions into the next block: validate (MVCC),
 * chain, and commit state, history and block in one atomic write.
 */
import { encodeBlock, type StoredBlock, type StoredTransaction, type StoredValidationCode } from './block.js';
import { proposalJson, type SignedProposal } from './proposal.js';
import type { LedgerStore, StateUpdate } from './store.js';
import type { SimulationResult } from './stub.js';
import { validateBlock } from './validator.js';

/** A transaction endorsed by simulation and waiting to be ordered. */
export interface EndorsedTransaction {
  readonly signed: SignedProposal;
  readonly payload: Buffer;
  readonly sim: SimulationResult;
}

function toStored(t: EndorsedTransaction, code: StoredValidationCode): StoredTransaction {
  return {
    proposal: proposalJson(t.signed.proposal),
    signature: t.signed.signature,
    response: { status: 200, payload: t.payload.toString('base64'), message: '' },
    rwset: {
      reads: t.sim.reads,
      ranges: t.sim.ranges,
      writes: [...t.sim.writes].map(([k, v]) => [k, v === null ? null : v.toString('base64')] as const),
    },
    event: t.sim.event ? { name: t.sim.event.name, payload: t.sim.event.payload.toString('base64') } : null,
    validationCode: code,
  };
}

/**
 * Validates and commits `batch` as block number `store.height`.
 * Returns the committed block (its transactions carry their validation codes).
 *
 * @throws the store's error when the write fails; nothing of the block is then committed.
 */
export async function commitBatch(store: LedgerStore, batch: readonly EndorsedTransaction[], sync: boolean): Promise<StoredBlock> {
  const number = store.height;
  const { codes } = await validateBlock(number, batch.map((t) => t.sim), store.live());
  const transactions = batch.map((t, i) => toStored(t, codes[i]!));
  const updates: StateUpdate[] = [];
  batch.forEach((t, i) => {
    if (codes[i] !== 'VALID') return;
    const { txId, timestamp } = t.signed.proposal;
    for (const [key, value] of t.sim.writes) updates.push({ key, value, version: { block: number, tx: i }, txId, timestamp });
  });
  const { block, text, hash } = encodeBlock(number, store.headHash, { config: null, transactions });
  await store.commit(block, hash, updates, sync, text);
  return block;
}

/** Commits block 0 (the channel's configuration) on an empty store. */
export async function commitGenesis(store: LedgerStore, channel: string, chaincode: string): Promise<void> {
  const { block, text, hash } = encodeBlock(0, '', { config: { channel, chaincode }, transactions: [] });
  await store.commit(block, hash, [], true, text);
}
