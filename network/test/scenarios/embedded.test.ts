import { contracts } from '@xinlian/chaincode';
import { createEmbeddedIdentity } from '../../src/embedded/identity.js';
import { createEmbeddedLedger } from '../../src/embedded/ledger.js';
import { tempDir } from '../support/embedded.js';
import { describeLedgerScenarios, PARTIES, type PartyName } from './ledger-scenarios.js';

describeLedgerScenarios('the embedded ledger', async () => {
  const dir = await tempDir();
  const ledger = await createEmbeddedLedger({ dataDir: dir.path, contracts, blockMaxWaitMs: 2 });
  const names = Object.keys(PARTIES) as PartyName[];
  const identities = await Promise.all(names.map((p) => createEmbeddedIdentity({ mspId: `${p}MSP`, name: 'admin' })));
  const clients = Object.fromEntries(names.map((p, i) => [p, ledger.connect(identities[i]!)])) as Record<PartyName, ReturnType<typeof ledger.connect>>;
  return {
    clients,
    close: async () => {
      await ledger.close();
      await dir.remove();
    },
  };
});
