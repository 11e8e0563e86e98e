/**
 * Orders items into batches as Fabric's block cutter does: a batch is cut when it holds
 * `maxCount` items or when `maxWaitMs` has passed since its first item arrived. Batches are
 * handed to `process` one at a time, in order; items arriving meanwhile wait for the next.
 */
export interface BlockCutterOptions<T> {
  readonly maxCount: number;
  readonly maxWaitMs: number;
  /** Commits one batch. A rejection is passed to `onError`; the cutter carries on. */
  readonly process: (batch: T[]) => Promise<void>;
  readonly onError: (error: unknown, batch: T[]) => void;
}

export class BlockCutter<T> {
  readonly #options: BlockCutterOptions<T>;
  #pending: T[] = [];
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #idle: Promise<void> = Promise.resolve();

  constructor(options: BlockCutterOptions<T>) {
    this.#options = options;
  }

  /** Number of items waiting to be cut. */
  get pending(): number {
    return this.#pending.length;
  }

  enqueue(item: T): void {
    this.#pending.push(item);
    if (this.#pending.length >= this.#options.maxCount) this.#cut();
    else if (!this.#timer && !this.#running) this.#timer = setTimeout(() => this.#cut(), this.#options.maxWaitMs);
  }

  /** Cuts and processes everything pending; resolves when all batches so far are processed. */
  async flush(): Promise<void> {
    while (this.#pending.length > 0 || this.#running) {
      if (!this.#running) this.#cut();
      await this.#idle;
    }
  }

  #cut(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#running || this.#pending.length === 0) return;
    const batch = this.#pending.splice(0, this.#options.maxCount);
    this.#running = this.#options.process(batch).then(
      () => undefined,
      (e: unknown) => this.#options.onError(e, batch),
    ).finally(() => {
      this.#running = undefined;
      this.#afterBatch();
    });
    this.#idle = this.#running;
  }

  #afterBatch(): void {
    if (this.#pending.length >= this.#options.maxCount) this.#cut();
    else if (this.#pending.length > 0 && !this.#timer) this.#timer = setTimeout(() => this.#cut(), this.#options.maxWaitMs);
  }
}
