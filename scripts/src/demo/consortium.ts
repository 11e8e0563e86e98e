import '@xinlian/connector/polyfills';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contracts } from '@xinlian/chaincode';
import { createConnector, type Connector } from '@xinlian/connector';
import { createEmbeddedIdentity, createEmbeddedLedger, type EmbeddedLedger } from '@xinlian/network';
import { bootstrapConsortium, type BootstrapOptions } from './bootstrap.js';
import { DEMO_INSTITUTIONS } from './plan.js';

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
}

export interface DemoConsortium {
  readonly dataDir: string;
  readonly ledger: EmbeddedLedger;
  /** One connector per institution, by institution id. */
  readonly connectors: ReadonlyMap<string, Connector>;
  /** True when this start created the consortium (false: reopened existing data). */
  readonly created: boolean;
  close(): Promise<void>;
}

const STATE_FILE = 'state.json';

/**
 * Opens the demo consortium on the embedded ledger in `dataDir`: on the first start it
 * initialises the chaincode, admits the institutions, publishes products, generates
 * synthetic enterprises and replays their lending histories; later starts reopen the same
 * data. Every institution has its own connector, store and keys, talking over libp2p on
 * loopback.
 */
export async function openConsortium(options: Readonly<OpenConsortiumOptions>): Promise<DemoConsortium> {
  const log = options.log ?? (() => undefined);
  if (options.reset) await rm(options.dataDir, { recursive: true, force: true });
  const demoDir = join(options.dataDir, 'demo');
  await mkdir(demoDir, { recursive: true });
  const statePath = join(demoDir, STATE_FILE);
  const bootstrapped = await readJson<{ bootstrapped: boolean }>(statePath);
  const consortiumKey = await loadOrCreateSecret(join(demoDir, 'consortium.key'));

  const ledger = await createEmbeddedLedger({ dataDir: join(options.dataDir, 'ledger'), contracts });
  const connectors = new Map<string, Connector>();
  try {
    for (const plan of DEMO_INSTITUTIONS) {
      const identity = await createEmbeddedIdentity({ mspId: plan.mspId, name: plan.id, dir: join(options.dataDir, 'msp') });
      const connector = await createConnector({
        institutionId: plan.id,
        dataDir: join(options.dataDir, 'institutions', plan.id),
        ledger: ledger.connect(identity),
        consortiumKey,
      });
      connectors.set(plan.id, connector);
    }
    if (!bootstrapped?.bootstrapped) {
      log('First start: creating the consortium (use --reset to start over later).');
      await bootstrapConsortium({
        connectors,
        enterprises: options.enterprises ?? 10_000,
        seed: options.seed ?? 'xinlian-demo',
        ...(options.progress ? { progress: options.progress } : {}),
        log,
      });
      await writeFile(statePath, JSON.stringify({ bootstrapped: true, at: new Date().toISOString() }, null, 2));
    } else {
      log('Reopening the existing consortium data.');
      for (const c of connectors.values()) await c.start();
    }
  } catch (e) {
    await closeAll(connectors, ledger);
    throw e;
  }
  return {
    dataDir: options.dataDir,
    ledger,
    connectors,
    created: !bootstrapped?.bootstrapped,
    close: () => closeAll(connectors, ledger),
  };
}

async function closeAll(connectors: Map<string, Connector>, ledger: EmbeddedLedger): Promise<void> {
  for (const c of connectors.values()) await c.stop().catch(() => undefined);
  await ledger.close();
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** The consortium key that blinds USCCs: 32 random bytes, hex, in a 0600 file. */
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
