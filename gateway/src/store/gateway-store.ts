/**
 * The gateway's own durable state, in one LevelDB (classic-level) directory: API keys (only
 * their SHA-256 hashes) and idempotency records. Both survive a restart; a restart never
 * resurrects a rotated key (`ensure` only sets a key for an institution that has none).
 */
import { chmod, mkdir } from 'node:fs/promises';
import { ClassicLevel } from 'classic-level';
import { generateApiKey, hashApiKey, MIN_API_KEY_LENGTH, type ApiKeyRecord, type ApiKeyStore, type IssuingApiKeyStore } from '../auth/api-key-store.js';
import { GatewayError, GatewayErrorCode } from '../errors.js';
import { ROLES, type Role } from '../services.js';
import { IDEMPOTENCY_TTL_MS, type IdempotencyRecord, type IdempotencyStore } from './idempotency-store.js';

/** API keys kept by hash in the gateway store. */
export interface DurableApiKeyStore extends IssuingApiKeyStore {
  /**
   * Sets `apiKey` as the institution's key only when the institution has no key yet; true
   * when it was set. A key rotated since is therefore never brought back by a restart.
   */
  ensure(institutionId: string, roles: readonly string[], apiKey: string): Promise<boolean>;
}

export interface GatewayStore {
  readonly apiKeys: DurableApiKeyStore;
  readonly idempotency: IdempotencyStore;
  close(): Promise<void>;
}

export interface GatewayStoreOptions {
  /** Clock in ms (default Date.now). */
  readonly now?: () => number;
}

interface KeyEntry {
  readonly institutionId: string;
  readonly roles: Role[];
  readonly createdAt: number;
}

interface InstitutionEntry {
  readonly keyHash: string;
  readonly roles: Role[];
}

const HASH_SHAPE = /^[0-9a-f]{64}$/;
const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** A serial queue: each task starts after the previous one settled. */
function serial(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>) => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

function unavailable(what: string, cause: unknown): GatewayError {
  return new GatewayError(GatewayErrorCode.UNAVAILABLE, `gateway store: ${what} failed`, { cause });
}

/**
 * Opens (creating it, mode 0700) the gateway store in `dir`. Expired idempotency records are
 * swept at open and hourly.
 * @throws GatewayError `GW_CONFIG` when the directory cannot be opened (e.g. held by another process).
 */
export async function openGatewayStore(dir: string, options: GatewayStoreOptions = {}): Promise<GatewayStore> {
  const now = options.now ?? Date.now;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const db = new ClassicLevel<string, string>(dir, { valueEncoding: 'utf8' });
  try {
    await db.open();
  } catch (e) {
    throw new GatewayError(GatewayErrorCode.CONFIG, `cannot open the gateway store in ${dir}`, { cause: e });
  }
  const keys = db.sublevel<string, string>('key', { valueEncoding: 'utf8' });
  const institutions = db.sublevel<string, string>('inst', { valueEncoding: 'utf8' });
  const idem = db.sublevel<string, string>('idem', { valueEncoding: 'utf8' });
  const writes = serial();

  const read = async <T>(level: typeof keys, key: string): Promise<T | undefined> => {
    try {
      const text = await level.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as T);
    } catch (e) {
      throw unavailable('read', e);
    }
  };

  /** Binds a new key hash to the institution, dropping its previous key in the same batch. */
  const bind = async (institutionId: string, roles: readonly Role[], keyHash: string): Promise<void> => {
    const previous = await read<InstitutionEntry>(institutions, institutionId);
    const entry: KeyEntry = { institutionId, roles: [...new Set(roles)], createdAt: now() };
    const batch = db.batch();
    if (previous) batch.del(previous.keyHash, { sublevel: keys });
    batch.put(keyHash, JSON.stringify(entry), { sublevel: keys });
    batch.put(institutionId, JSON.stringify({ keyHash, roles: entry.roles } satisfies InstitutionEntry), { sublevel: institutions });
    try {
      await batch.write();
    } catch (e) {
      throw unavailable('write', e);
    }
  };

  const apiKeys: DurableApiKeyStore = {
    async lookup(keyHash): Promise<ApiKeyRecord | undefined> {
      if (!HASH_SHAPE.test(keyHash)) return undefined;
      const entry = await read<KeyEntry>(keys, keyHash);
      return entry ? { institutionId: entry.institutionId, roles: entry.roles, keyHash } : undefined;
    },
    ensure: (institutionId, roles, apiKey) =>
      writes(async () => {
        const known = roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r));
        if (known.length === 0 || known.length !== roles.length) {
          throw new GatewayError(GatewayErrorCode.CONFIG, `API key of ${institutionId}: roles must be a non-empty list of ${ROLES.join(', ')}`);
        }
        if (apiKey.length < MIN_API_KEY_LENGTH) throw new GatewayError(GatewayErrorCode.CONFIG, `API key of ${institutionId} is shorter than ${MIN_API_KEY_LENGTH} characters`);
        if (await read<InstitutionEntry>(institutions, institutionId)) return false;
        await bind(institutionId, known, hashApiKey(apiKey));
        return true;
      }),
    issue: (institutionId, roles) =>
      writes(async () => {
        const apiKey = generateApiKey();
        await bind(institutionId, roles, hashApiKey(apiKey));
        return apiKey;
      }),
    rotate: (institutionId) =>
      writes(async () => {
        const current = await read<InstitutionEntry>(institutions, institutionId);
        if (!current) throw new GatewayError(GatewayErrorCode.NOT_FOUND, `institution ${institutionId} has no API key in this gateway`);
        const apiKey = generateApiKey();
        await bind(institutionId, current.roles, hashApiKey(apiKey));
        return apiKey;
      }),
  };

  const sweep = async (): Promise<void> => {
    const cutoff = now() - IDEMPOTENCY_TTL_MS;
    const stale: string[] = [];
    for await (const [key, text] of idem.iterator()) {
      const record = JSON.parse(text) as IdempotencyRecord;
      if (record.createdAt <= cutoff) stale.push(key);
    }
    if (stale.length > 0) await idem.batch(stale.map((key) => ({ type: 'del' as const, key })));
  };

  const idempotency: IdempotencyStore = {
    async get(scope) {
      const record = await read<IdempotencyRecord>(idem, scope);
      if (!record || record.createdAt <= now() - IDEMPOTENCY_TTL_MS) return undefined;
      return record;
    },
    async put(scope, record) {
      try {
        await idem.put(scope, JSON.stringify(record));
      } catch (e) {
        throw unavailable('write', e);
      }
    },
  };

  await sweep();
  let sweeping: Promise<void> | undefined;
  const timer = setInterval(() => {
    sweeping ??= sweep()
      .catch(() => undefined)
      .finally(() => {
        sweeping = undefined;
      });
  }, SWEEP_EVERY_MS);
  timer.unref();

  return {
    apiKeys,
    idempotency,
    async close() {
      clearInterval(timer);
      await sweeping;
      await writes(async () => undefined);
      await db.close();
    },
  };
}

export type { ApiKeyStore };
