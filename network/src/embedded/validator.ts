/**
 * Validation at commit, as a Fabric peer does it: transactions of a block are checked in
 * order against committed state plus the writes of the earlier valid transactions of the
 * same block. A changed read version → MVCC_READ_CONFLICT; a range whose results changed
 * → PHANTOM_READ_CONFLICT. Valid writes get the version (block, tx index).
 */
import type { StoredRangeRead, StoredValidationCode, StoredVersion } from './block.js';
import type { SimulationResult } from './stub.js';
import type { StateView, Version } from './store.js';

export interface BlockUpdate {
  readonly value: Buffer | null;
  readonly version: Version;
  /** Index of the transaction in the block that wrote it. */
  readonly tx: number;
}

export interface ValidationOutcome {
  readonly codes: readonly StoredValidationCode[];
  /** Final write per key of the block's valid transactions. */
  readonly updates: ReadonlyMap<string, BlockUpdate>;
}

const enc = (k: string): Buffer => Buffer.from(k, 'utf8');

/** LevelDB's order: bytes of the UTF-8 encoding. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(enc(a), enc(b));
}

function sameVersion(a: StoredVersion, b: Version | undefined): boolean {
  if (a === null || b === undefined) return a === null && b === undefined;
  return a[0] === b.block && a[1] === b.tx;
}

async function readsValid(reads: SimulationResult['reads'], state: StateView, block: Map<string, BlockUpdate>): Promise<boolean> {
  for (const [key, version] of reads) {
    if (block.has(key)) return false;
    const committed = await state.get(key);
    if (!sameVersion(version, committed?.version)) return false;
  }
  return true;
}

async function rangeValid(r: StoredRangeRead, state: StateView, block: Map<string, BlockUpdate>): Promise<boolean> {
  const last = r.exhausted ? undefined : r.reads.at(-1)?.[0];
  if (!r.exhausted && last === undefined) return true;
  const inRange = (k: string): boolean =>
    compareKeys(k, r.start) >= 0 &&
    (r.end === '' || compareKeys(k, r.end) < 0) &&
    (last === undefined || compareKeys(k, last) <= 0);
  const now = new Map<string, StoredVersion>();
  const range = state.range(r.start, r.end);
  try {
    for (let e = await range.next(); e && inRange(e.key); e = await range.next()) {
      now.set(e.key, [e.version.block, e.version.tx]);
    }
  } finally {
    await range.close();
  }
  for (const [key, u] of block) {
    if (!inRange(key)) continue;
    if (u.value === null) now.delete(key);
    else now.set(key, [u.version.block, u.version.tx]);
  }
  if (now.size !== r.reads.length) return false;
  const keys = [...now.keys()].sort(compareKeys);
  return keys.every((key, i) => {
    const read = r.reads[i]!;
    const v = now.get(key);
    return read[0] === key && v !== null && v !== undefined && v[0] === read[1][0] && v[1] === read[1][1];
  });
}

/** Validates the transactions of block `blockNumber` in order. */
export async function validateBlock(
  blockNumber: number,
  txs: readonly SimulationResult[],
  state: StateView,
): Promise<ValidationOutcome> {
  const updates = new Map<string, BlockUpdate>();
  const codes: StoredValidationCode[] = [];
  for (const [i, sim] of txs.entries()) {
    if (!(await readsValid(sim.reads, state, updates))) {
      codes.push('MVCC_READ_CONFLICT');
      continue;
    }
    let phantom = false;
    for (const r of sim.ranges) {
      if (!(await rangeValid(r, state, updates))) {
        phantom = true;
        break;
      }
    }
    if (phantom) {
      codes.push('PHANTOM_READ_CONFLICT');
      continue;
    }
    codes.push('VALID');
    for (const [key, value] of sim.writes) updates.set(key, { value, version: { block: blockNumber, tx: i }, tx: i });
  }
  return { codes, updates };
}
