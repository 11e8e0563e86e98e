/**
 * The Fabric implementation of the LedgerClient (`@hyperledger/fabric-gateway`).
 *
 * ```ts
 * const client = await createFabricLedgerClient(await loadFabricProfile({ org: 'lender' }));
 * const { result, txId, blockNumber } = await client.submit('consents:Grant', [message, signature]);
 * ```
 *
 * Errors are the same coded errors as the embedded ledger's (`network/src/errors.ts`).
 */
import { LedgerError } from '../errors.js';
import type { LedgerClient } from '../ledger-client.js';
import { FabricLedgerClient } from './client.js';

export { createFabricLedgerClient } from './create.js';
export { defaultFabricStateDir, loadFabricProfile, type FabricProfileOptions } from './connection-profile.js';
export type { FabricLedgerClientOptions, FabricTimeouts } from './options.js';

/**
 * The serialised block `n` of a Fabric ledger client's channel (a protobuf `common.Block`,
 * every payload as written), or undefined past the height. For tools that inspect
 * everything a block carries (the Fabric suite scans them for plain identifiers).
 *
 * @throws LedgerError `LEDGER_BAD_REQUEST` when `client` is not a Fabric client.
 */
export function fabricBlockBytes(client: LedgerClient, n: bigint): Promise<Uint8Array | undefined> {
  if (!(client instanceof FabricLedgerClient)) throw new LedgerError('LEDGER_BAD_REQUEST', 'not a Fabric ledger client');
  return client.blockBytes(n);
}
