/**
 * A real demo consortium (embedded ledger, one connector per institution over libp2p on
 * loopback) with the real gateway listening on an ephemeral port, as `npm start` wires it;
 * credentials.json points at that port.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnectorServices, createMemoryApiKeyStore, startGateway } from '@xinlian/gateway';
import { openConsortium, type DemoConsortium } from '../../../src/demo/consortium.js';
import { credentialsPath, loadOrCreateCredentials, type DemoCredentials } from '../../../src/demo/credentials.js';
import { DEMO_PROVIDER } from '../../../src/demo/plan.js';

export interface DemoGateway {
  readonly dataDir: string;
  readonly url: string;
  readonly credentials: DemoCredentials;
  readonly credentialsFile: string;
  readonly consortium: DemoConsortium;
  close(): Promise<void>;
}

/** Starts the demo with `enterprises` synthetic enterprises in a fresh temp dir. */
export async function startDemoGateway(enterprises = 50): Promise<DemoGateway> {
  const dataDir = await mkdtemp(join(tmpdir(), 'xinlian-cli-'));
  const consortium = await openConsortium({ dataDir, enterprises, seed: 'cli-test', logLevel: 'warn' });
  try {
    const { credentials, apiKeys } = await loadOrCreateCredentials(
      dataDir,
      'http://127.0.0.1:0',
      consortium.connectors.get(DEMO_PROVIDER)!.store,
      consortium.subjectWallet,
    );
    const gateway = await startGateway(
      { services: createConnectorServices({ connectors: consortium.connectors }), apiKeys: createMemoryApiKeyStore(apiKeys) },
      { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
    );
    const withUrl: DemoCredentials = { ...credentials, gatewayUrl: gateway.url };
    await writeFile(credentialsPath(dataDir), JSON.stringify(withUrl, null, 2));
    return {
      dataDir,
      url: gateway.url,
      credentials: withUrl,
      credentialsFile: credentialsPath(dataDir),
      consortium,
      async close() {
        await gateway.close();
        await consortium.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await consortium.close();
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
}
