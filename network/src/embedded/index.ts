/**
 * The embedded ledger: xinlian's chaincode in process on LevelDB with Fabric's semantics.
 *
 * ```ts
 * const ledger = await createEmbeddedLedger({ dataDir, contracts });
 * const admin = await createEmbeddedIdentity({ mspId: 'RegulatorMSP', name: 'admin', dir });
 * const client = ledger.connect(admin); // a LedgerClient
 * ```
 */
export { createEmbeddedLedger, EmbeddedLedger, type EmbeddedLedgerOptions, type ConnectOptions } from './ledger.js';
export { createEmbeddedIdentity, identityFromPem, type EmbeddedIdentity, type EmbeddedIdentityOptions } from './identity.js';
