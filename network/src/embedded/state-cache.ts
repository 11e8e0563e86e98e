/**
 * A cache of committed state for the hot keys every transaction reads (the caller's
 * identity binding and institution record, the products a check names), so simulation and
 * validation do not queue a LevelDB read on libuv's thread pool for each of them.
 *
 * Consistency. Each entry is the key's current committed value and the height from which it
 * is known to hold (`validFrom`). A reader whose snapshot was taken at height `h` — or while
 * block `h` was being written, so that it holds state `h` or `h + 1` — may use an entry when
 * `validFrom <= h` and the key is not in the block being written: the value is then the same
 * at every height its snapshot can be at. Otherwise it reads its LevelDB snapshot. Entries
 * are added only from reads that are known to be at the current height with no write in
 * progress, and commits replace the entries they overwrite in the same turn of the event loop
 * that advances the height.
 */
import type { Version } from './store.js';

/** A cached key: its value and version, or null when the key does not exist. */
export type CachedState = { readonly value: Buffer; readonly version: Version } | null;

/** What a commit changes: `value` null = delete. */
export interface CacheUpdate {
  readonly key: string;
  readonly value: Buffer | null;
  readonly version: Version;
}

/** Where a reader's snapshot is: `height` at creation; `duringCommit` when a block was being written then. */
export interface ReaderPosition {
  readonly height: number;
  readonly duringCommit: boolean;
}

interface Entry {
  readonly state: CachedState;
  readonly validFrom: number;
}

const DEFAULT_MAX_ENTRIES = 20_000;

export class StateCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  #height: number;
  #writing: ReadonlySet<string> | undefined;

  constructor(height: number, maxEntries = DEFAULT_MAX_ENTRIES) {
    this.#height = height;
    this.#maxEntries = maxEntries;
  }

  /** The position of a reader whose snapshot is taken now. */
  position(): ReaderPosition {
    return { height: this.#height, duringCommit: this.#writing !== undefined };
  }

  /** The cached state of `key` as the reader at `at` sees it (undefined = ask the snapshot). */
  lookup(at: ReaderPosition, key: string): CachedState | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.validFrom > at.height || this.#writing?.has(key)) return undefined;
    return entry.state;
  }

  /** Remembers what a reader at `at` read from its snapshot, when that is known to be the current state. */
  fill(at: ReaderPosition, key: string, state: CachedState): void {
    if (at.duringCommit || this.#writing !== undefined || at.height !== this.#height) return;
    if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
    this.#entries.set(key, { state, validFrom: at.height });
  }

  /** A block's write is starting. */
  beginCommit(updates: readonly CacheUpdate[]): void {
    this.#writing = new Set(updates.map((u) => u.key));
  }

  /** The block is durable at `height`: replace the entries it overwrote. */
  endCommit(height: number, updates: readonly CacheUpdate[]): void {
    for (const u of updates) {
      if (this.#entries.has(u.key)) {
        this.#entries.set(u.key, { state: u.value === null ? null : { value: u.value, version: u.version }, validFrom: height });
      }
    }
    this.#height = height;
    this.#writing = undefined;
  }

  /** The write failed (nothing changed on disk); drop everything to be safe. */
  abortCommit(): void {
    this.#entries.clear();
    this.#writing = undefined;
  }
}
