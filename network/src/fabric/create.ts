/** The factory of the Fabric LedgerClient. */
import { fabricClientId } from '../embedded/fabric-shim.js';
import { LedgerError } from '../errors.js';
import type { LedgerClient } from '../ledger-client.js';
import { FabricLedgerClient } from './client.js';
import { openSession } from './connection.js';
import { resolveOptions, type FabricLedgerClientOptions } from './options.js';

/**
 * Connects to the institution's gateway peer as the identity in `certPath` / `keyPath`.
 * The connection is lazy: an unreachable peer shows as `LEDGER_UNAVAILABLE` on the first call,
 * and the client recovers by itself once the peer is back.
 *
 * @throws LedgerError `LEDGER_BAD_REQUEST` for bad options or an unreadable certificate or key.
 */
export async function createFabricLedgerClient(options: FabricLedgerClientOptions): Promise<LedgerClient> {
  const resolved = resolveOptions(options);
  const session = await openSession(resolved);
  let clientId: string;
  try {
    clientId = fabricClientId(resolved.mspId, session.certificatePem);
  } catch (e) {
    session.gateway.close();
    session.grpcClient.close();
    throw new LedgerError('LEDGER_BAD_REQUEST', `the certificate at ${resolved.certPath} is not an X.509 PEM`, { cause: e });
  }
  return new FabricLedgerClient(
    session,
    { channel: resolved.channel, chaincode: resolved.chaincode },
    { mspId: resolved.mspId, clientId },
    resolved.timeouts,
  );
}
