import '@xinlian/connector/polyfills';
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createConnector, defaultLogger, type Connector } from '@xinlian/connector';
import { isChaincodeError, type EmbeddedLedger } from '@xinlian/network';
import type { Wallet } from 'ethers';
import { bootstrapConsortium, demoSubjectWallet, type BootstrapOptions } from './bootstrap.js';
import { DemoError } from './demo-error.js';
import { assertSameKind, assertSameLedger, readDemoState, writeDemoState, type DemoState, type LedgerFingerprint } from './demo-state.js';
import { openDemoLedger, type DemoLedger, type LedgerKind } from './ledgers.js';
import { DEMO_INSTITUTIONS } from './plan.js';
import { mkdirPrivate, restrictTree } from './private-files.js';
import { DemoInstitutionHost } from './institution-host.js';

export interface OpenConsortiumOptions {
  /** Everything lives here: `ledger/`, `msp/`, `institutions/<id>/`, `demo/`. */
  readonly dataDir: string;
  /** Wipe the data directory first. */
  readonly reset?: boolean;
  /** First start only: synthetic enterprises to generate (default 10,000). */
  readonly enterprises?: number;
  readonly seed?: number | string;
  /** Progress of long steps (a progress bar in the CLI). */
  readonly progress?: BootstrapOptions['progress'];
  readonly log?: (line: string) => void;
  /**
   * Level of the connectors' JSON logs on stdout (pino: `fatal` … `trace`, `silent`); default
   * `XINLIAN_LOG_LEVEL`, else `info`. One logger for all, a child per institution.
   */
  readonly logLevel?: string;
  /**
   * The ledger (default `embedded`): the embedded ledger in `<dataDir>/ledger`, or the Fabric
   * network brought up by `npm run fabric:up` (one Fabric user per institution).
   */
  readonly ledger?: LedgerKind;
  /** Fabric only: chaincode name (default: the one the data directory was bootstrapped on, else the network's default). */
  readonly fabricChaincode?: string;
  /** Fabric only: the network's state dir (default `$XINLIAN_FABRIC_DIR`, else `<repo>/.xinlian/fabric`). */
  readonly fabricStateDir?: string;
}

interface ConsortiumCommon {
  readonly dataDir: string;
  /**
   * One connector per institution, by institution id: the demo's own and those hosted since
   * (the {@link host} adds to it while the gateway runs).
   */
  readonly connectors: Map<string, Connector>;
  /**
   * Hosts institutions the regulator admits through the gateway without a signer address
   * (embedded ledger only: Fabric identities are enrolled by the network's CA, not here).
   */
  readonly host?: DemoInstitutionHost;
  /** True when this start created the consortium (false: reopened existing data). */
  readonly created: boolean;
  /**
   * A synthetic enterprise's signer key: derived from this data directory's random subject
   * secret (`demo/subject-keys.secret`), not from the synthetic-data seed.
   */
  subjectWallet(uscc: string): Wallet;
  close(): Promise<void>;
}

/** The consortium on the embedded ledger. */
export interface DemoConsortium extends ConsortiumCommon {
  readonly ledgerKind: 'embedded';
  readonly ledger: EmbeddedLedger;
}

/** The consortium on Fabric: which channel, chaincode and network it runs on. */
export interface FabricDemoConsortium extends ConsortiumCommon {
  readonly ledgerKind: 'fabric';
  readonly fabric: Extract<LedgerFingerprint, { ledger: 'fabric' }>;
}

export type AnyDemoConsortium = DemoConsortium | FabricDemoConsortium;

const STATE_FILE = 'state.json';
/** 32 random bytes (hex) from which the synthetic enterprises' signer keys derive. */
export const SUBJECT_SECRET_FILE = 'subject-keys.secret';

/**
 * Opens the demo consortium in `dataDir`: on the first start it initialises the chaincode,
 * admits the institutions, publishes products, generates synthetic enterprises and replays
 * their lending histories; later starts reopen the same data. Every institution has its own
 * connector, store, keys and ledger identity, talking over libp2p on loopback. The ledger is
 * the embedded one (default) or Fabric (`ledger: 'fabric'`); `<dataDir>/demo/state.json`
 * records which, and a data directory is never reopened on another ledger.
 *
 * @throws DemoError `DEMO_LEDGER_MISMATCH` (data directory of another ledger or network),
 *   `DEMO_FABRIC_DOWN` (Fabric not up), `DEMO_ALREADY_INITIALIZED` (the chaincode was
 *   bootstrapped by another data directory or an interrupted first start), `DEMO_BAD_OPTION`;
 *   ledger and connector errors of the bootstrap otherwise.
 */
export async function openConsortium(options: Readonly<OpenConsortiumOptions> & { readonly ledger?: 'embedded' }): Promise<DemoConsortium>;
export async function openConsortium(options: Readonly<OpenConsortiumOptions> & { readonly ledger: 'fabric' }): Promise<FabricDemoConsortium>;
export async function openConsortium(options: Readonly<OpenConsortiumOptions>): Promise<AnyDemoConsortium>;
export async function openConsortium(options: Readonly<OpenConsortiumOptions>): Promise<AnyDemoConsortium> {
  const log = options.log ?? (() => undefined);
  const kind = options.ledger ?? 'embedded';
  if (options.reset) await rm(options.dataDir, { recursive: true, force: true });
  const demoDir = join(options.dataDir, 'demo');
  await mkdirPrivate(options.dataDir);
  await restrictTree(options.dataDir);
  await mkdirPrivate(demoDir);
  const statePath = join(demoDir, STATE_FILE);
  const state = await readDemoState(statePath);
  assertSameKind(state, kind, options.dataDir);
  const ledger = await openDemoLedger(kind, options.dataDir, {
    ...(options.fabricStateDir !== undefined ? { stateDir: options.fabricStateDir } : {}),
    ...fabricChaincode(options.fabricChaincode, state),
  });
  const connectors = new Map<string, Connector>();
  const logger = defaultLogger();
  if (options.logLevel !== undefined) logger.level = options.logLevel;
  let subjectWallet: (uscc: string) => Wallet = () => {
    throw new Error('the subject secret is not loaded yet');
  };
  let host: DemoInstitutionHost | undefined;
  try {
    assertSameLedger(state, ledger.fingerprint, options.dataDir);
    const recovery = ledger.embedded?.recovery;
    if (recovery) {
      log(`The last stop was not clean: the ledger passed the deep integrity check (${recovery.height} blocks, ${recovery.deep?.keys ?? 0} state keys replayed).`);
    }
    const consortiumKey = await loadOrCreateSecret(join(demoDir, 'consortium.key'));
    const subjectSecret = await loadOrCreateSecret(join(demoDir, SUBJECT_SECRET_FILE));
    subjectWallet = (uscc) => demoSubjectWallet(subjectSecret, uscc);
    for (const plan of DEMO_INSTITUTIONS) {
      const connector = await createConnector({
        institutionId: plan.id,
        dataDir: join(options.dataDir, 'institutions', plan.id),
        ledger: await ledger.clientFor(plan),
        consortiumKey,
        logger,
      });
      connectors.set(plan.id, connector);
    }
    if (!state?.bootstrapped) {
      log(`First start: creating the consortium on the ${describeLedger(ledger.fingerprint)} (use --reset to start over later).`);
      await writeDemoState(statePath, ledger.fingerprint, false);
      await bootstrapConsortium({
        connectors,
        enterprises: options.enterprises ?? 10_000,
        seed: options.seed ?? 'xinlian-demo',
        subjectWallet,
        ...(options.progress ? { progress: options.progress } : {}),
        log,
      }).catch((e: unknown) => {
        throw isChaincodeError(e, 'CC_ALREADY_INITIALIZED') ? alreadyInitialized(ledger.fingerprint, state, e) : e;
      });
      await writeDemoState(statePath, ledger.fingerprint, true);
    } else {
      log(`Reopening the existing consortium data on the ${describeLedger(ledger.fingerprint)}.`);
      for (const c of connectors.values()) await c.start();
    }
    if (kind === 'embedded') {
      host = new DemoInstitutionHost({
        dataDir: options.dataDir,
        ledger,
        connectors,
        consortiumKey,
        logger,
        regulator: () => connectors.get(DEMO_INSTITUTIONS[0]!.id)!,
        log,
      });
      await host.reopen();
    }
  } catch (e) {
    await closeAll(connectors, ledger);
    throw e;
  }
  const common = {
    dataDir: options.dataDir,
    connectors,
    created: !state?.bootstrapped,
    subjectWallet,
    ...(host ? { host } : {}),
    close: async () => {
      await closeAll(connectors, ledger);
      await restrictTree(options.dataDir);
    },
  };
  if (ledger.fingerprint.ledger === 'fabric') return { ...common, ledgerKind: 'fabric', fabric: ledger.fingerprint };
  return { ...common, ledgerKind: 'embedded', ledger: ledger.embedded! };
}

/** The chaincode to use: the one asked for, else the one the data directory was bootstrapped on. */
function fabricChaincode(asked: string | undefined, state: DemoState | undefined): { chaincode?: string } {
  if (asked !== undefined) return { chaincode: asked };
  return state?.ledger === 'fabric' ? { chaincode: state.chaincode } : {};
}

function describeLedger(f: LedgerFingerprint): string {
  return f.ledger === 'embedded' ? 'embedded ledger' : `Fabric network (channel ${f.channel}, chaincode ${f.chaincode})`;
}

function alreadyInitialized(f: LedgerFingerprint, state: DemoState | undefined, cause: unknown): DemoError {
  const interrupted = state !== undefined ? 'an interrupted first start of this data directory or ' : '';
  const fix =
    f.ledger === 'fabric'
      ? `Start a fresh network with \`npm run fabric:reset && npm run fabric:up\` and then --reset, ` +
        `or deploy a fresh chaincode definition (\`FABRIC_CC_NAME=<name> bash network/fabric/chaincode.sh deploy\`) ` +
        `and use it (XINLIAN_FABRIC_CHAINCODE=<name> for npm start), or reopen the data directory that created it.`
      : 'Start over with --reset.';
  return new DemoError(
    'DEMO_ALREADY_INITIALIZED',
    `the ${describeLedger(f)} was already initialised by ${interrupted}another data directory. ${fix}`,
    { cause },
  );
}

async function closeAll(connectors: Map<string, Connector>, ledger: DemoLedger): Promise<void> {
  for (const c of connectors.values()) await c.stop().catch(() => undefined);
  await ledger.close();
}

/** A secret of the data directory (the consortium key that blinds USCCs, the subject secret): 32 random bytes, hex, in a 0600 file. */
async function loadOrCreateSecret(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const key = randomBytes(32).toString('hex');
  await writeFile(path, key, { mode: 0o600 });
  return key;
}
