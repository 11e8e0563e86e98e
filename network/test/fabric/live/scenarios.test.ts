import type { LedgerClient } from '../../../src/ledger-client.js';
import { describeLedgerScenarios, type PartyName } from '../../scenarios/ledger-scenarios.js';
import { clientOf, freshChaincode } from './network.js';

/** Each party transacts as its own Fabric identity (org and user of the network's crypto). */
const IDENTITIES: Readonly<Record<PartyName, readonly [org: string, user: string]>> = {
  regulator: ['regulator', 'User1'],
  operator: ['regulator', 'User2'],
  provider: ['provider', 'User1'],
  exchange: ['provider', 'User2'],
  lenderA: ['lender', 'User1'],
  lenderB: ['lender', 'User2'],
};

describeLedgerScenarios('Fabric', async () => {
  const chaincode = await freshChaincode('scenarios');
  const entries = await Promise.all(
    (Object.entries(IDENTITIES) as [PartyName, readonly [string, string]][]).map(
      async ([party, [org, user]]) => [party, await clientOf(org, user, chaincode)] as const,
    ),
  );
  const clients = Object.fromEntries(entries) as Record<PartyName, LedgerClient>;
  return {
    clients,
    close: async () => {
      await Promise.all(Object.values(clients).map((client) => client.close()));
    },
  };
});
