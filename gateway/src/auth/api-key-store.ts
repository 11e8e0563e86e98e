/**
 * API keys: each bound to one institution and its roles, stored only as a SHA-256 hash
 * (keys are high-entropy random strings, so an unsalted fast hash is enough) and compared
 * in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { GatewayError, GatewayErrorCode } from '../errors.js';
import { ROLES, type Role } from '../services.js';

/** What a key resolves to. */
export interface ApiKeyRecord {
  readonly institutionId: string;
  readonly roles: readonly Role[];
  /** The key's hash (hex), used to key the rate limit without keeping the key. */
  readonly keyHash: string;
}

export interface ApiKeyStore {
  /** Finds the record for a key hash (hex SHA-256), or undefined. */
  lookup(keyHash: string): Promise<ApiKeyRecord | undefined>;
  /** A new key for the institution (replacing any key it had); only its hash is kept. Absent: keys cannot be issued. */
  issue?(institutionId: string, roles: readonly Role[]): Promise<string>;
  /**
   * A new key for the institution, with the roles of its current key; the old key is refused
   * from then on. Absent: keys cannot be rotated.
   * @throws GatewayError `GW_NOT_FOUND` when the institution has no key here.
   */
  rotate?(institutionId: string): Promise<string>;
}

/** A key store that can issue and rotate keys. */
export interface IssuingApiKeyStore extends ApiKeyStore {
  issue(institutionId: string, roles: readonly Role[]): Promise<string>;
  rotate(institutionId: string): Promise<string>;
}

/** One entry of a key list: either the key itself or its hash. */
export interface ApiKeyEntry {
  readonly apiKey?: string;
  readonly apiKeyHash?: string;
  readonly institutionId: string;
  readonly roles: readonly string[];
}

/** Shortest key accepted in a key list (characters). */
export const MIN_API_KEY_LENGTH = 24;
const HASH_SHAPE = /^[0-9a-f]{64}$/;

/** Hex SHA-256 of an API key. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** A new random API key (`xl_` + 32 random bytes, base64url). */
export function generateApiKey(): string {
  return `xl_${randomBytes(32).toString('base64url')}`;
}

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

function toRecord(entry: ApiKeyEntry, index: number): ApiKeyRecord {
  const where = `API key entry ${index}`;
  if (typeof entry.institutionId !== 'string' || entry.institutionId.length === 0) {
    throw new GatewayError(GatewayErrorCode.CONFIG, `${where}: institutionId is required`);
  }
  if (!Array.isArray(entry.roles) || entry.roles.length === 0) {
    throw new GatewayError(GatewayErrorCode.CONFIG, `${where}: roles must be a non-empty array`);
  }
  const unknown = entry.roles.filter((r) => !isRole(r));
  if (unknown.length > 0) throw new GatewayError(GatewayErrorCode.CONFIG, `${where}: unknown roles ${unknown.join(', ')}`);
  let keyHash: string;
  if (entry.apiKey !== undefined && entry.apiKeyHash === undefined) {
    if (entry.apiKey.length < MIN_API_KEY_LENGTH) {
      throw new GatewayError(GatewayErrorCode.CONFIG, `${where}: apiKey shorter than ${MIN_API_KEY_LENGTH} characters`);
    }
    keyHash = hashApiKey(entry.apiKey);
  } else if (entry.apiKeyHash !== undefined && entry.apiKey === undefined) {
    if (!HASH_SHAPE.test(entry.apiKeyHash)) {
      throw new GatewayError(GatewayErrorCode.CONFIG, `${where}: apiKeyHash must be 64 lowercase hex characters`);
    }
    keyHash = entry.apiKeyHash;
  } else {
    throw new GatewayError(GatewayErrorCode.CONFIG, `${where}: give exactly one of apiKey and apiKeyHash`);
  }
  return { institutionId: entry.institutionId, roles: [...new Set(entry.roles as Role[])], keyHash };
}

/**
 * An in-memory key store. Lookups compare the given hash against every stored hash with
 * `timingSafeEqual` and no early exit, so timing does not depend on which key matched.
 * @throws GatewayError `GW_CONFIG` on a malformed entry or a duplicate key.
 */
export function createMemoryApiKeyStore(entries: readonly ApiKeyEntry[]): IssuingApiKeyStore {
  const records = entries.map(toRecord);
  const seen = new Set<string>();
  for (const r of records) {
    if (seen.has(r.keyHash)) throw new GatewayError(GatewayErrorCode.CONFIG, `duplicate API key for ${r.institutionId}`);
    seen.add(r.keyHash);
  }
  const hashes = records.map((r) => Buffer.from(r.keyHash, 'hex'));
  /** Replaces every key of the institution by a new one. */
  const replace = (institutionId: string, roles: readonly Role[]): string => {
    const apiKey = generateApiKey();
    for (let i = records.length - 1; i >= 0; i--) {
      if (records[i]!.institutionId === institutionId) {
        records.splice(i, 1);
        hashes.splice(i, 1);
      }
    }
    const record = { institutionId, roles: [...new Set(roles)], keyHash: hashApiKey(apiKey) };
    records.push(record);
    hashes.push(Buffer.from(record.keyHash, 'hex'));
    return apiKey;
  };
  return {
    issue: (institutionId, roles) => Promise.resolve(replace(institutionId, roles)),
    rotate(institutionId) {
      const current = records.find((r) => r.institutionId === institutionId);
      if (!current) return Promise.reject(new GatewayError(GatewayErrorCode.NOT_FOUND, `institution ${institutionId} has no API key in this gateway`));
      return Promise.resolve(replace(institutionId, current.roles));
    },
    lookup(keyHash: string): Promise<ApiKeyRecord | undefined> {
      if (!HASH_SHAPE.test(keyHash)) return Promise.resolve(undefined);
      const probe = Buffer.from(keyHash, 'hex');
      let found: ApiKeyRecord | undefined;
      for (let i = 0; i < hashes.length; i++) {
        if (timingSafeEqual(hashes[i]!, probe) && found === undefined) found = records[i];
      }
      return Promise.resolve(found);
    },
  };
}
