import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectorStore } from '@xinlian/connector';
import { generateApiKey, hashApiKey, type ApiKeyEntry } from '@xinlian/gateway';
import { demoSubjectWallet } from './bootstrap.js';
import { DEMO_INSTITUTIONS } from './plan.js';

/** `<data dir>/demo/credentials.json`, as shared/API.md describes it. */
export interface DemoCredentials {
  readonly gatewayUrl: string;
  readonly institutions: Record<string, { readonly apiKey: string; readonly roles: readonly string[] }>;
  readonly subjects: readonly { readonly uscc: string; readonly signerPrivateKey: string }[];
}

/** Subjects whose signer keys are written to credentials.json. */
const SUBJECTS_IN_CREDENTIALS = 50;

export function credentialsPath(dataDir: string): string {
  return join(dataDir, 'demo', 'credentials.json');
}

/**
 * Reads credentials.json, or creates it (new random API keys; the first subjects of the
 * provider's data with their demo signer keys). `gatewayUrl` is refreshed on every start.
 * The gateway keeps only the keys' hashes (`api-keys.json`).
 */
export async function loadOrCreateCredentials(
  dataDir: string,
  gatewayUrl: string,
  providerStore: ConnectorStore,
  seed: number | string,
): Promise<{ credentials: DemoCredentials; apiKeys: ApiKeyEntry[] }> {
  const path = credentialsPath(dataDir);
  let existing: DemoCredentials | undefined;
  try {
    existing = JSON.parse(await readFile(path, 'utf8')) as DemoCredentials;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const institutions =
    existing?.institutions ??
    Object.fromEntries(DEMO_INSTITUTIONS.map((p) => [p.id, { apiKey: generateApiKey(), roles: [...p.roles] }]));
  let subjects = existing?.subjects;
  if (!subjects) {
    const list: { uscc: string; signerPrivateKey: string }[] = [];
    for await (const uscc of providerStore.enterprises.keys()) {
      list.push({ uscc, signerPrivateKey: demoSubjectWallet(seed, uscc).privateKey });
      if (list.length === SUBJECTS_IN_CREDENTIALS) break;
    }
    subjects = list;
  }
  const credentials: DemoCredentials = { gatewayUrl, institutions, subjects };
  await writeFile(path, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 });
  const apiKeys = Object.entries(institutions).map(([institutionId, v]) => ({
    apiKeyHash: hashApiKey(v.apiKey),
    institutionId,
    roles: [...v.roles],
  }));
  await writeFile(join(dataDir, 'demo', 'api-keys.json'), JSON.stringify(apiKeys, null, 2) + '\n', { mode: 0o600 });
  return { credentials, apiKeys };
}
