/**
 * Reads the connection profiles that `network/fabric/up.sh` writes for each org
 * (`<state dir>/connection/<org>.json`), so the demo and the tests can connect as an org's user.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LedgerError } from '../errors.js';
import type { FabricLedgerClientOptions, FabricTimeouts } from './options.js';

export interface FabricProfileOptions {
  /** Org short name: `regulator`, `lender`, `provider`. */
  readonly org: string;
  /** User in the org's crypto material: `Admin`, `User1`, `User2`, `User3` (default `User1`). */
  readonly user?: string;
  /** The network's state dir (default: `$XINLIAN_FABRIC_DIR`, else `<repo>/.xinlian/fabric`). */
  readonly stateDir?: string;
  readonly timeouts?: FabricTimeouts;
}

interface ProfileFile {
  readonly mspId: string;
  readonly peerEndpoint: string;
  readonly hostAlias: string;
  readonly tlsRootCertPath: string;
  readonly channel: string;
  readonly chaincode: string;
  readonly users: Readonly<Record<string, { readonly certPath: string; readonly keyPath: string }>>;
}

/** The default state dir: `$XINLIAN_FABRIC_DIR`, else `.xinlian/fabric` at the repository root. */
export function defaultFabricStateDir(): string {
  const fromEnv = process.env['XINLIAN_FABRIC_DIR'];
  if (fromEnv) return resolve(fromEnv);
  // src/fabric/ and dist/fabric/ are both three levels below the repository root.
  return join(fileURLToPath(new URL('../../../', import.meta.url)), '.xinlian', 'fabric');
}

function isProfile(value: unknown): value is ProfileFile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['mspId', 'peerEndpoint', 'hostAlias', 'tlsRootCertPath', 'channel', 'chaincode'].every((k) => typeof v[k] === 'string') &&
    typeof v['users'] === 'object' && v['users'] !== null;
}

/**
 * The client options for `user` of `org` in a running network.
 *
 * @throws LedgerError `LEDGER_BAD_REQUEST` when the org, its profile or the user is unknown
 *   (`LEDGER_UNAVAILABLE` when there is no profile at all: the network was never brought up).
 */
export async function loadFabricProfile(options: FabricProfileOptions): Promise<FabricLedgerClientOptions> {
  if (typeof options.org !== 'string' || !/^[a-z][a-z0-9-]*$/.test(options.org)) {
    throw new LedgerError('LEDGER_BAD_REQUEST', 'org must be a short lowercase org name such as "lender"');
  }
  const dir = options.stateDir ?? defaultFabricStateDir();
  const file = join(dir, 'connection', `${options.org}.json`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new LedgerError('LEDGER_UNAVAILABLE', `no connection profile at ${file}: run npm run fabric:up`, { cause: e });
  }
  let profile: unknown;
  try {
    profile = JSON.parse(text);
  } catch (e) {
    throw new LedgerError('LEDGER_BAD_REQUEST', `connection profile ${file} is not JSON`, { cause: e });
  }
  if (!isProfile(profile)) throw new LedgerError('LEDGER_BAD_REQUEST', `connection profile ${file} is incomplete`);
  const userName = options.user ?? 'User1';
  const user = Object.hasOwn(profile.users, userName) ? profile.users[userName] : undefined;
  if (!user) throw new LedgerError('LEDGER_BAD_REQUEST', `no user ${userName} in org ${options.org}`);
  const tlsRootCert = await readFile(profile.tlsRootCertPath, 'utf8').catch((e: unknown) => {
    throw new LedgerError('LEDGER_UNAVAILABLE', `cannot read ${profile.tlsRootCertPath}`, { cause: e });
  });
  return {
    peerEndpoint: profile.peerEndpoint,
    tlsRootCert,
    hostAlias: profile.hostAlias,
    mspId: profile.mspId,
    certPath: user.certPath,
    keyPath: user.keyPath,
    channel: profile.channel,
    chaincode: profile.chaincode,
    ...(options.timeouts !== undefined ? { timeouts: options.timeouts } : {}),
  };
}
