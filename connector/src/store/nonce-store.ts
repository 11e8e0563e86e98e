import { ConnectorError, ConnectorErrorCode } from '../domain/errors.js';
import { JsonCollection } from './json-collection.js';
import { KeyedLock } from './keyed-lock.js';
import { type RootDb, type Sublevel, sortableNumber, writeAtomic } from './level.js';

/** Prune expired nonces once every this many calls to `seen`. */
const PRUNE_EVERY = 256;

/**
 * Remembers request nonces until their message expires, to refuse replays.
 * Times are milliseconds since the epoch.
 */
export class NonceStore {
  readonly #root: RootDb;
  readonly #nonces: JsonCollection<number>;
  readonly #byExpiry: JsonCollection<string>;
  readonly #lock = new KeyedLock();
  readonly #now: () => number;
  #calls = 0;

  constructor(root: RootDb, nonces: Sublevel, byExpiry: Sublevel, now: () => number) {
    this.#root = root;
    this.#nonces = new JsonCollection(root, nonces);
    this.#byExpiry = new JsonCollection(root, byExpiry);
    this.#now = now;
  }

  /**
   * True when `nonce` was already seen and has not expired (a replay: refuse it).
   * Otherwise records it until `expiresAt` and returns false. A nonce whose
   * `expiresAt` is already past is not recorded (the message is refused as expired
   * anyway) and returns false.
   * @throws ConnectorError `CONN_BAD_INPUT` (nonce not 1–256 chars, expiresAt not a
   *   finite number), `CONN_STORE_UNAVAILABLE`.
   */
  async seen(nonce: string, expiresAt: number): Promise<boolean> {
    if (
      typeof nonce !== 'string' ||
      nonce.length === 0 ||
      nonce.length > 256 ||
      nonce.includes('\u0000')
    ) {
      throw new ConnectorError(
        ConnectorErrorCode.BAD_INPUT,
        'a nonce must be a string of 1–256 characters',
      );
    }
    if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt) || expiresAt < 0) {
      throw new ConnectorError(
        ConnectorErrorCode.BAD_INPUT,
        'expiresAt must be a finite time in ms since the epoch',
      );
    }
    if (++this.#calls % PRUNE_EVERY === 0) await this.prune();
    return this.#lock.run(nonce, async () => {
      const now = this.#now();
      const known = await this.#nonces.get(nonce);
      if (known !== undefined && known > now) return true;
      if (expiresAt <= now) return false;
      const ops = [
        this.#nonces.putOp(nonce, expiresAt),
        this.#byExpiry.putOp(`${sortableNumber(expiresAt)}!${nonce}`, nonce),
      ];
      if (known !== undefined) ops.push(this.#byExpiry.delOp(`${sortableNumber(known)}!${nonce}`));
      await writeAtomic(this.#root, ops, true);
      return false;
    });
  }

  /**
   * Forgets every nonce whose expiry is at or before `now`; returns how many.
   * @throws ConnectorError `CONN_STORE_UNAVAILABLE`.
   */
  async prune(now = this.#now()): Promise<number> {
    let pruned = 0;
    const batch: { key: string; nonce: string }[] = [];
    for await (const [key, nonce] of this.#byExpiry.entries({
      lt: `${sortableNumber(now)}!\uffff`,
    })) {
      batch.push({ key, nonce });
    }
    for (const { key, nonce } of batch) {
      await this.#lock.run(nonce, async () => {
        const expiresAt = await this.#nonces.get(nonce);
        const ops = [this.#byExpiry.delOp(key)];
        if (expiresAt !== undefined && expiresAt <= now) {
          ops.push(this.#nonces.delOp(nonce));
          pruned++;
        }
        await writeAtomic(this.#root, ops);
      });
    }
    return pruned;
  }

  /** Number of nonces currently remembered (a key scan; for tests and metrics). */
  size(): Promise<number> {
    return this.#nonces.count();
  }
}
