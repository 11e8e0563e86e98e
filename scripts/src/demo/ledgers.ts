/**
 * The ledger the demo consortium runs on: the embedded ledger in the data directory (the
 * default) or the Fabric network of `network/fabric`. Either way each institution gets its
 * own LedgerClient; nothing above this file knows which ledger it has.
 */
import { join } from 'node:path';
import { contracts } from '@xinlian/chaincode';
import { createEmbeddedIdentity, createEmbeddedLedger, type EmbeddedLedger, type LedgerClient } from '@xinlian/network';
import { DemoError } from './demo-error.js';
import type { LedgerFingerprint, LedgerKind } from './demo-state.js';
import { openFabricDemoLedger, type FabricDemoOptions } from './fabric-ledger.js';
import type { PlannedInstitution } from './plan.js';

export type { LedgerKind } from './demo-state.js';

export interface DemoLedger {
  readonly kind: LedgerKind;
  readonly fingerprint: LedgerFingerprint;
  /** The embedded ledger itself (embedded only). */
  readonly embedded?: EmbeddedLedger;
  /** A client transacting as the institution's own ledger identity. */
  clientFor(plan: PlannedInstitution): Promise<LedgerClient>;
  /** Closes every client handed out, then the ledger. */
  close(): Promise<void>;
}

/**
 * Reads a ledger kind from a flag or an environment variable (`embedded` when undefined or empty).
 *
 * @throws DemoError `DEMO_BAD_OPTION` for anything but `embedded` or `fabric`.
 */
export function parseLedgerKind(value: string | undefined): LedgerKind {
  if (value === undefined || value === '' || value === 'embedded') return 'embedded';
  if (value === 'fabric') return 'fabric';
  throw new DemoError('DEMO_BAD_OPTION', `the ledger must be "embedded" or "fabric", got ${JSON.stringify(value)}`);
}

/**
 * Opens the ledger of kind `kind`: the embedded ledger in `<dataDir>/ledger` with identities
 * in `<dataDir>/msp`, or a check that the Fabric network is up and its profiles.
 *
 * @throws DemoError `DEMO_FABRIC_DOWN` when Fabric is asked for and not up.
 */
export async function openDemoLedger(kind: LedgerKind, dataDir: string, fabric: Readonly<FabricDemoOptions> = {}): Promise<DemoLedger> {
  const clients: LedgerClient[] = [];
  const closeClients = async (): Promise<void> => {
    for (const c of clients.splice(0)) await c.close().catch(() => undefined);
  };
  if (kind === 'fabric') {
    const network = await openFabricDemoLedger(fabric);
    return {
      kind,
      fingerprint: network.fingerprint,
      clientFor: async (plan) => {
        const client = await network.clientFor(plan.id);
        clients.push(client);
        return client;
      },
      close: closeClients,
    };
  }
  const ledger = await createEmbeddedLedger({ dataDir: join(dataDir, 'ledger'), contracts });
  return {
    kind,
    fingerprint: { ledger: 'embedded' },
    embedded: ledger,
    clientFor: async (plan) => {
      const identity = await createEmbeddedIdentity({ mspId: plan.mspId, name: plan.id, dir: join(dataDir, 'msp') });
      const client = ledger.connect(identity);
      clients.push(client);
      return client;
    },
    close: async () => {
      await closeClients();
      await ledger.close();
    },
  };
}
