import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { ConnectorError, ConnectorErrorCode } from '../domain/errors.js';
import type { EnterpriseRecord, GroundTruth } from '../domain/enterprise.js';
import type { Policy } from '../policy/types.js';
import { JsonCollection } from './json-collection.js';
import { guard, openSublevel, type RootDb } from './level.js';
import { NonceStore } from './nonce-store.js';
import { Outbox } from './outbox.js';
import { StateRecordStore } from './state-record-store.js';

/** A data product as its provider keeps it locally. */
export interface LocalProduct {
  readonly id: string;
  readonly name: string;
  readonly kind: 'score' | 'report' | 'alert' | 'check' | 'ring';
  /** JR/T 0197 level 1–4. */
  readonly classification: number;
  readonly policy: Policy;
  readonly modelVersion: string;
  readonly outputSchemaHash?: string;
}

/** Uses made under one usage contract (count and rate limits). */
export interface ContractUsageRecord {
  readonly count: number;
  /** Times (ms) of uses within the last rate window. */
  readonly recent: readonly number[];
}

export interface StoreOptions {
  /** The institution's data directory; the database lives in `<dataDir>/store`. */
  readonly dataDir: string;
  /** Clock in ms since the epoch (default `Date.now`); injected for tests. */
  readonly now?: () => number;
}

/** The connector's local store: one LevelDB, one sublevel per kind of record. */
export interface ConnectorStore {
  /** The institution's own enterprise data, keyed by USCC. Never leaves the connector. */
  readonly enterprises: JsonCollection<EnterpriseRecord>;
  /** Synthetic data's known answers, keyed by USCC (empty for real data). */
  readonly groundTruth: JsonCollection<GroundTruth>;
  /** Subject token → USCC of the institution's own enterprises (a local index; never shared). */
  readonly subjectTokens: JsonCollection<string>;
  /** Uses per usage contract, keyed by contract id. */
  readonly usage: JsonCollection<ContractUsageRecord>;
  /** Local data products, keyed by product id. */
  readonly products: JsonCollection<LocalProduct>;
  /** Small settings and markers (e.g. the synthetic generation's parameters). */
  readonly meta: JsonCollection<unknown>;
  /** Contract negotiations (use `.typed<State, Data>()` for precise types). */
  readonly negotiations: StateRecordStore;
  /** Transfers of model outputs (use `.typed<State, Data>()`). */
  readonly transfers: StateRecordStore;
  /** Ledger writes waiting to be submitted. */
  readonly outbox: Outbox;
  /** Request nonces seen, until their messages expire. */
  readonly nonces: NonceStore;
  /** Absolute path of the LevelDB directory. */
  readonly location: string;
  /** Closes the database; later calls fail with `CONN_STORE_UNAVAILABLE`. */
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) the store in `<dataDir>/store`.
 * @throws ConnectorError `CONN_BAD_INPUT` (no dataDir), `CONN_STORE_UNAVAILABLE` (cannot
 *   create or open it, e.g. another process holds its lock).
 */
export async function openStore(options: Readonly<StoreOptions>): Promise<ConnectorStore> {
  if (typeof options.dataDir !== 'string' || options.dataDir.length === 0) {
    throw new ConnectorError(ConnectorErrorCode.BAD_INPUT, 'dataDir must be a non-empty path');
  }
  const now = options.now ?? Date.now;
  const location = join(options.dataDir, 'store');
  const root: RootDb = new ClassicLevel<string, unknown>(location, { valueEncoding: 'json' });
  await guard(async () => {
    await mkdir(options.dataDir, { recursive: true });
    await root.open();
  });
  const sub = (name: string) => openSublevel(root, name);
  return {
    enterprises: new JsonCollection(root, sub('enterprises')),
    groundTruth: new JsonCollection(root, sub('ground-truth')),
    subjectTokens: new JsonCollection(root, sub('subject-tokens')),
    usage: new JsonCollection(root, sub('usage')),
    products: new JsonCollection(root, sub('products')),
    meta: new JsonCollection(root, sub('meta')),
    negotiations: new StateRecordStore(
      root,
      sub('negotiations'),
      sub('negotiations-by-state'),
      now,
    ),
    transfers: new StateRecordStore(root, sub('transfers'), sub('transfers-by-state'), now),
    outbox: await Outbox.open(root, sub('outbox'), sub('outbox-pending'), sub('outbox-meta'), now),
    nonces: new NonceStore(root, sub('nonces'), sub('nonces-by-expiry'), now),
    location,
    close: () => root.close(),
  };
}
