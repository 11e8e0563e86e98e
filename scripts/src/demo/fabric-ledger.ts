/**
 * The demo's institutions on the Fabric network of `network/fabric` (`npm run fabric:up`):
 * each institution transacts as its own user of one of the three orgs.
 */
import { isChaincodeError, isLedgerError, type LedgerClient } from '@xinlian/network';
import { createFabricLedgerClient, loadFabricProfile, type FabricLedgerClientOptions } from '@xinlian/network/fabric';
import { DemoError } from './demo-error.js';
import type { LedgerFingerprint } from './demo-state.js';

/** Org (`regulator`, `lender`, `provider`) and user of one institution's Fabric identity. */
export interface FabricIdentityRef {
  readonly org: 'regulator' | 'lender' | 'provider';
  readonly user: 'Admin' | 'User1' | 'User2' | 'User3';
}

/**
 * Ten institutions on three orgs, one identity each: the regulator's org also hosts the
 * operator and the exchange; the lenders' org the microlenders and the guarantor; the
 * providers' org the credit-data company and the banks (which hold data too).
 */
export const FABRIC_DEMO_IDENTITIES: Readonly<Record<string, FabricIdentityRef>> = {
  regulator: { org: 'regulator', user: 'User1' },
  operator: { org: 'regulator', user: 'User2' },
  exchange: { org: 'regulator', user: 'User3' },
  'microloan-a': { org: 'lender', user: 'User1' },
  'microloan-b': { org: 'lender', user: 'User2' },
  'microloan-c': { org: 'lender', user: 'User3' },
  guarantor: { org: 'lender', user: 'Admin' },
  'credit-data': { org: 'provider', user: 'User1' },
  'bank-a': { org: 'provider', user: 'User2' },
  'bank-b': { org: 'provider', user: 'User3' },
};

export interface FabricDemoOptions {
  /** Chaincode name (default: the one in the connection profiles, i.e. the network's default). */
  readonly chaincode?: string;
  /** The network's state dir (default `$XINLIAN_FABRIC_DIR`, else `<repo>/.xinlian/fabric`). */
  readonly stateDir?: string;
}

export interface FabricDemoLedger {
  readonly fingerprint: Extract<LedgerFingerprint, { ledger: 'fabric' }>;
  /** A new client transacting as the institution's identity. */
  clientFor(institutionId: string): Promise<LedgerClient>;
}

const UP_HINT = 'Start it with `npm run fabric:up` first.';
const CHAINCODE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/**
 * Checks that the network is up (connection profiles present, the channel and the
 * chaincode answer a cheap evaluate) and reads block 0's hash as the network's fingerprint.
 *
 * @throws DemoError `DEMO_FABRIC_DOWN` with a hint to run `npm run fabric:up`;
 *   `DEMO_BAD_OPTION` for a malformed chaincode name.
 */
export async function openFabricDemoLedger(options: Readonly<FabricDemoOptions> = {}): Promise<FabricDemoLedger> {
  if (options.chaincode !== undefined && !CHAINCODE_NAME.test(options.chaincode)) {
    throw new DemoError('DEMO_BAD_OPTION', `Fabric chaincode name ${JSON.stringify(options.chaincode)} is not valid`);
  }
  const profileOf = async (ref: FabricIdentityRef, evaluateMs?: number): Promise<FabricLedgerClientOptions> => {
    try {
      const profile = await loadFabricProfile({
        org: ref.org,
        user: ref.user,
        ...(options.stateDir !== undefined ? { stateDir: options.stateDir } : {}),
        ...(evaluateMs !== undefined ? { timeouts: { evaluateMs } } : {}),
      });
      return options.chaincode !== undefined ? { ...profile, chaincode: options.chaincode } : profile;
    } catch (e) {
      throw new DemoError('DEMO_FABRIC_DOWN', `the Fabric network is not set up (${describe(e)}). ${UP_HINT}`, { cause: e });
    }
  };
  for (const id of Object.keys(FABRIC_DEMO_IDENTITIES)) await profileOf(FABRIC_DEMO_IDENTITIES[id]!);

  const probeOptions = await profileOf(FABRIC_DEMO_IDENTITIES['regulator']!, 5_000);
  const probe = await createFabricLedgerClient(probeOptions);
  let genesisHash: string;
  try {
    const genesis = await probe.getBlock(0n).catch((e: unknown) => {
      throw new DemoError('DEMO_FABRIC_DOWN', `the Fabric network does not answer at ${probeOptions.peerEndpoint} (${describe(e)}). ${UP_HINT}`, { cause: e });
    });
    if (!genesis) throw new DemoError('DEMO_FABRIC_DOWN', `channel ${probeOptions.channel} has no block 0. ${UP_HINT}`);
    genesisHash = genesis.hash;
    await probe.evaluate('institutions:Whoami', []).catch((e: unknown) => {
      // Any coded chaincode answer (e.g. CC_UNKNOWN_CALLER before bootstrap) means it runs.
      if (isChaincodeError(e)) return '';
      throw new DemoError(
        'DEMO_FABRIC_DOWN',
        `chaincode ${probeOptions.chaincode} on channel ${probeOptions.channel} does not answer (${describe(e)}). ` +
          `Is it deployed and its service running? ${UP_HINT}`,
        { cause: e },
      );
    });
  } finally {
    await probe.close();
  }
  return {
    fingerprint: { ledger: 'fabric', channel: probeOptions.channel, chaincode: probeOptions.chaincode, genesisHash },
    clientFor: async (institutionId) => {
      const ref = FABRIC_DEMO_IDENTITIES[institutionId];
      if (!ref) throw new DemoError('DEMO_BAD_OPTION', `no Fabric identity for institution ${institutionId}`);
      return createFabricLedgerClient(await profileOf(ref));
    },
  };
}

function describe(e: unknown): string {
  if (isLedgerError(e) || isChaincodeError(e)) return `${e.code}: ${e.message.split('\n')[0]}`;
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}
