import { CodedError } from '@xinlian/chaincode';
import type { EnterpriseRecord, GroundTruth } from '@xinlian/connector';
import type { ConnectorStore } from '@xinlian/connector';
import { generateEnterprise } from './enterprise-gen.js';
import { seedHash } from './prng.js';
import { dayStart } from './time.js';

/** Fixed default so that a seed alone reproduces a data set. Pass today for a live demo. */
export const DEFAULT_AS_OF = '2025-06-30';
export const MAX_COUNT = 10_000_000;
/** Key in the store's `meta` collection describing the generated data set. */
export const SYNTHETIC_META_KEY = 'synthetic';

export interface GenerateOptions {
  readonly seed: number | string;
  readonly count: number;
  /** Where to write: enterprises, ground truth and a meta record. */
  readonly store: Pick<ConnectorStore, 'enterprises' | 'groundTruth' | 'meta'>;
  /** Reference day `YYYY-MM-DD` (default {@link DEFAULT_AS_OF}); series and events end there. */
  readonly asOf?: string;
  /** Enterprises per write batch (default 2000). */
  readonly batchSize?: number;
  /** Called after each batch with the number written so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface GenerateSummary {
  readonly seed: number | string;
  readonly count: number;
  readonly asOf: string;
  readonly shells: number;
  readonly multiBorrowers: number;
  readonly ringMembers: number;
  readonly lendingEvents: number;
}

/** Bad options for the generator. */
export class SyntheticOptionsError extends CodedError {
  override readonly name = 'SyntheticOptionsError';
  declare readonly code: 'SYNTH_BAD_OPTIONS';

  constructor(message: string) {
    super('SYNTH_BAD_OPTIONS', message);
  }
}

/**
 * Generates `count` enterprises and streams them into the store in batches: enterprise
 * i is built from (seed, i, asOf) alone, so memory stays flat at any count and the same
 * options always give the same data. Re-running overwrites the same keys.
 * @throws SyntheticOptionsError (`SYNTH_BAD_OPTIONS`) for a bad count, seed, asOf or
 *   batch size; ConnectorError `CONN_STORE_UNAVAILABLE` when the store fails.
 */
export async function generateEnterprises(
  options: Readonly<GenerateOptions>,
): Promise<GenerateSummary> {
  const { count, store, onProgress } = options;
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const batchSize = options.batchSize ?? 2000;
  const asOfMs = dayStart(asOf);
  if (!Number.isSafeInteger(count) || count < 0 || count > MAX_COUNT) {
    throw new SyntheticOptionsError(`count must be an integer from 0 to ${MAX_COUNT}`);
  }
  if (
    !(typeof options.seed === 'string'
      ? options.seed.length > 0
      : Number.isSafeInteger(options.seed))
  ) {
    throw new SyntheticOptionsError('seed must be an integer or a non-empty string');
  }
  if (Number.isNaN(asOfMs))
    throw new SyntheticOptionsError(`asOf must be a date YYYY-MM-DD, got ${asOf}`);
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new SyntheticOptionsError('batchSize must be a positive integer');
  const seed = seedHash(options.seed);
  let shells = 0;
  let multiBorrowers = 0;
  let ringMembers = 0;
  let lendingEvents = 0;
  // Generate batch n+1 while batch n is being written (LevelDB writes off the main thread).
  let writing: Promise<void> = Promise.resolve();
  for (let from = 0; from < count; from += batchSize) {
    const records: [string, EnterpriseRecord][] = [];
    const truths: [string, GroundTruth][] = [];
    for (let i = from; i < Math.min(count, from + batchSize); i++) {
      const { record, truth } = generateEnterprise(seed, i, asOfMs);
      records.push([record.uscc, record]);
      truths.push([record.uscc, truth]);
      if (truth.shell) shells++;
      if (truth.multiBorrower) multiBorrowers++;
      if (truth.ringId) ringMembers++;
      lendingEvents += record.lending.length;
    }
    await writing;
    const done = from + records.length;
    writing = Promise.all([
      store.enterprises.putMany(records),
      store.groundTruth.putMany(truths),
    ]).then(() => onProgress?.(done, count));
  }
  await writing;
  const summary: GenerateSummary = {
    seed: options.seed,
    count,
    asOf,
    shells,
    multiBorrowers,
    ringMembers,
    lendingEvents,
  };
  await store.meta.put(
    SYNTHETIC_META_KEY,
    { generator: 'xinlian-synthetic-1', ...summary },
    { sync: true },
  );
  return summary;
}
