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
export { createFabricLedgerClient } from './create.js';
export { defaultFabricStateDir, loadFabricProfile, type FabricProfileOptions } from './connection-profile.js';
export type { FabricLedgerClientOptions, FabricTimeouts } from './options.js';
