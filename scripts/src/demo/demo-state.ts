/**
 * `<data dir>/demo/state.json`: whether the data directory was bootstrapped, and against
 * which ledger. Reopening it against another ledger (the embedded one instead of Fabric, a
 * reset Fabric network, another chaincode) is refused with a clear message instead of
 * failing obscurely on the first transaction.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { DemoError } from './demo-error.js';

export type LedgerKind = 'embedded' | 'fabric';

/** Which ledger a data directory belongs to. */
export type LedgerFingerprint =
  | { readonly ledger: 'embedded' }
  | {
      readonly ledger: 'fabric';
      readonly channel: string;
      readonly chaincode: string;
      /** Hash of the channel's block 0 header (hex): changes when the network is reset. */
      readonly genesisHash: string;
    };

export type DemoState = LedgerFingerprint & {
  /** False while the first start is still creating the consortium. */
  readonly bootstrapped: boolean;
  readonly at: string;
};

/**
 * Reads state.json; undefined when there is none. A state file written before the ledger
 * was recorded (`{ bootstrapped, at }`) belongs to the embedded ledger.
 *
 * @throws DemoError `DEMO_LEDGER_MISMATCH` when the file is not readable JSON of that shape.
 */
export async function readDemoState(path: string): Promise<DemoState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new DemoError('DEMO_LEDGER_MISMATCH', `${path} is not JSON; start over with --reset`, { cause: e });
  }
  if (typeof value !== 'object' || value === null) throw new DemoError('DEMO_LEDGER_MISMATCH', `${path} is not a demo state file; start over with --reset`);
  const v = value as Record<string, unknown>;
  const base = { bootstrapped: v['bootstrapped'] === true, at: typeof v['at'] === 'string' ? v['at'] : '' };
  if (v['ledger'] === undefined || v['ledger'] === 'embedded') return { ...base, ledger: 'embedded' };
  const fabric = v['fabric'];
  if (v['ledger'] === 'fabric' && typeof fabric === 'object' && fabric !== null) {
    const f = fabric as Record<string, unknown>;
    if (typeof f['channel'] === 'string' && typeof f['chaincode'] === 'string' && typeof f['genesisHash'] === 'string') {
      return { ...base, ledger: 'fabric', channel: f['channel'], chaincode: f['chaincode'], genesisHash: f['genesisHash'] };
    }
  }
  throw new DemoError('DEMO_LEDGER_MISMATCH', `${path} names an unknown ledger; start over with --reset`);
}

/** Writes state.json for `fingerprint`. */
export async function writeDemoState(path: string, fingerprint: LedgerFingerprint, bootstrapped: boolean): Promise<void> {
  const at = new Date().toISOString();
  const body =
    fingerprint.ledger === 'embedded'
      ? { bootstrapped, at, ledger: 'embedded' }
      : {
          bootstrapped,
          at,
          ledger: 'fabric',
          fabric: { channel: fingerprint.channel, chaincode: fingerprint.chaincode, genesisHash: fingerprint.genesisHash },
        };
  await writeFile(path, JSON.stringify(body, null, 2) + '\n');
}

/**
 * Refuses to open a data directory on another kind of ledger than the one it was created on
 * (checked before anything is opened).
 *
 * @throws DemoError `DEMO_LEDGER_MISMATCH`.
 */
export function assertSameKind(state: DemoState | undefined, kind: LedgerKind, dataDir: string): void {
  if (!state || state.ledger === kind) return;
  throw new DemoError(
    'DEMO_LEDGER_MISMATCH',
    `the data directory ${dataDir} holds a consortium on the ${state.ledger} ledger, not on ${kind}. ` +
      `Start it with --ledger ${state.ledger}, use another XINLIAN_DATA_DIR, or start over with --reset.`,
  );
}

/**
 * Refuses to reopen a Fabric consortium on a network other than the one it was bootstrapped on.
 *
 * @throws DemoError `DEMO_LEDGER_MISMATCH` naming what differs and what to do.
 */
export function assertSameLedger(state: DemoState | undefined, actual: LedgerFingerprint, dataDir: string): void {
  if (!state || state.ledger !== 'fabric' || actual.ledger !== 'fabric') return;
  const where = `the data directory ${dataDir} was bootstrapped on Fabric channel ${state.channel}, chaincode ${state.chaincode}`;
  if (state.genesisHash !== actual.genesisHash) {
    throw new DemoError(
      'DEMO_LEDGER_MISMATCH',
      `${where}, but the running network is another one (its block 0 hash is ${actual.genesisHash.slice(0, 16)}…, ` +
        `expected ${state.genesisHash.slice(0, 16)}…; was it reset with npm run fabric:reset?). ` +
        'Start over on this network with --reset.',
    );
  }
  if (state.channel !== actual.channel || state.chaincode !== actual.chaincode) {
    throw new DemoError(
      'DEMO_LEDGER_MISMATCH',
      `${where}, but channel ${actual.channel}, chaincode ${actual.chaincode} was asked for. ` +
        'Drop the chaincode override, or start over with --reset.',
    );
  }
}
