import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectorStore } from '@xinlian/connector';
import { generateApiKey, hashApiKey, type ApiKeyEntry, type DurableApiKeyStore } from '@xinlian/gateway';
import type { Wallet } from 'ethers';
import { DEMO_INSTITUTIONS } from './plan.js';

/** `<data dir>/demo/credentials.json`, as shared/API.md describes it. */
export interface DemoCredentials {
  readonly gatewayUrl: string;
  readonly institutions: Record<string, { readonly apiKey: string; readonly roles: readonly string[] }>;
  readonly subjects: readonly DemoSubject[];
}

/** A synthetic enterprise whose signer key the demo hands out, with what was planted in its data. */
export interface DemoSubject {
  readonly uscc: string;
  readonly signerPrivateKey: string;
  /** `multi-borrower`, `fraud-ring`, `shell`, or the firm's trajectory (`steady`, `growing`, `declining`). */
  readonly profile: string;
}

/** Subjects whose signer keys are written to credentials.json. */
const SUBJECTS_IN_CREDENTIALS = 50;
/** Of those, at most this many of each planted pattern, so a multi-lending check has something to find. */
const PLANTED_PER_PATTERN = 8;

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
  subjectWallet: (uscc: string) => Wallet,
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
  const subjects = existing?.subjects ?? (await pickSubjects(providerStore, subjectWallet));
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

/** The subjects for credentials.json: some of each planted pattern first, then ordinary firms. */
async function pickSubjects(store: ConnectorStore, subjectWallet: (uscc: string) => Wallet): Promise<DemoSubject[]> {
  const planted: DemoSubject[] = [];
  const ordinary: DemoSubject[] = [];
  const perPattern = new Map<string, number>();
  for await (const truth of store.groundTruth.values()) {
    const pattern = truth.multiBorrower ? 'multi-borrower' : truth.ringId ? 'fraud-ring' : truth.shell ? 'shell' : undefined;
    const subject = (profile: string): DemoSubject => ({
      uscc: truth.uscc,
      signerPrivateKey: subjectWallet(truth.uscc).privateKey,
      profile,
    });
    if (pattern === undefined) {
      if (ordinary.length < SUBJECTS_IN_CREDENTIALS) ordinary.push(subject(truth.trajectory));
    } else if ((perPattern.get(pattern) ?? 0) < PLANTED_PER_PATTERN) {
      perPattern.set(pattern, (perPattern.get(pattern) ?? 0) + 1);
      planted.push(subject(pattern));
    }
  }
  const order = ['multi-borrower', 'fraud-ring', 'shell'];
  planted.sort((a, b) => order.indexOf(a.profile) - order.indexOf(b.profile));
  return [...planted, ...ordinary].slice(0, SUBJECTS_IN_CREDENTIALS);
}

/**
 * `keys` whose `rotate` also writes the new key into credentials.json (and its hash into
 * api-keys.json) when the institution is listed there, so the file keeps working keys after
 * `POST /v1/api-keys/rotation`. Institutions not in the file (hosted ones got their key in the
 * admission's answer) are rotated as usual. Rotations are written one at a time.
 */
export function rotationsWrittenBack(keys: DurableApiKeyStore, dataDir: string): DurableApiKeyStore {
  let writing: Promise<unknown> = Promise.resolve();
  const writeBack = async (institutionId: string, apiKey: string): Promise<void> => {
    const path = credentialsPath(dataDir);
    const credentials = JSON.parse(await readFile(path, 'utf8')) as DemoCredentials;
    const entry = credentials.institutions[institutionId];
    if (!entry) return;
    const institutions = { ...credentials.institutions, [institutionId]: { ...entry, apiKey } };
    await writeFile(path, JSON.stringify({ ...credentials, institutions }, null, 2) + '\n', { mode: 0o600 });
    const hashes = Object.entries(institutions).map(([id, v]) => ({ apiKeyHash: hashApiKey(v.apiKey), institutionId: id, roles: [...v.roles] }));
    await writeFile(join(dataDir, 'demo', 'api-keys.json'), JSON.stringify(hashes, null, 2) + '\n', { mode: 0o600 });
  };
  return {
    lookup: (keyHash) => keys.lookup(keyHash),
    issue: (institutionId, roles) => keys.issue(institutionId, roles),
    ensure: (institutionId, roles, apiKey) => keys.ensure(institutionId, roles, apiKey),
    async rotate(institutionId) {
      const apiKey = await keys.rotate(institutionId);
      const done = writing.then(() => writeBack(institutionId, apiKey));
      writing = done.catch(() => undefined);
      await done;
      return apiKey;
    },
  };
}
