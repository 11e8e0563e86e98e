/**
 * Query results in fabric-shim's shapes: a promise of an iterator (`next()` / `close()`) that
 * is also async-iterable, and for paginated queries `{ iterator, metadata }`.
 */

export interface ShimKV {
  readonly namespace: string;
  readonly key: string;
  readonly value: Buffer;
}

export interface ShimKeyModification {
  readonly txId: string;
  readonly value: Buffer;
  readonly isDelete: boolean;
  readonly timestamp: { readonly seconds: number; readonly nanos: number };
}

export interface ShimIterator<T> {
  next(): Promise<{ value: T; done: false } | { value: undefined; done: true }>;
  close(): Promise<void>;
}

export interface PaginatedResponse<T> {
  readonly iterator: ShimIterator<T>;
  readonly metadata: { readonly fetchedRecordsCount: number; readonly bookmark: string };
}

/** A source of results read one by one. */
export interface ResultSource<T> {
  next(): Promise<T | undefined>;
  close(): Promise<void>;
}

/** Wraps a source as fabric-shim's iterator. */
export function shimIterator<T>(source: ResultSource<T>): ShimIterator<T> {
  return {
    async next() {
      const value = await source.next();
      return value === undefined ? { value: undefined, done: true } : { value, done: false };
    },
    close: () => source.close(),
  };
}

/** An iterator over results already in memory. */
export function listIterator<T>(items: readonly T[]): ShimIterator<T> {
  let i = 0;
  return shimIterator({ next: async () => items[i++], close: async () => undefined });
}

/**
 * fabric-shim's `convertToAsyncIterator`: the returned promise resolves to the iterator (or to
 * `{ iterator, metadata }`) and can also be used directly in `for await`, which closes the
 * iterator when the loop ends early or completes.
 */
export function asQueryResult<R extends ShimIterator<T> | PaginatedResponse<T>, T>(
  promise: Promise<R>,
): Promise<R> & AsyncIterable<T> {
  const result = promise as Promise<R> & AsyncIterable<T>;
  result[Symbol.asyncIterator] = () => {
    let iterator: ShimIterator<T> | undefined;
    return {
      async next(): Promise<IteratorResult<T>> {
        if (!iterator) {
          const resolved = await promise;
          iterator = 'iterator' in resolved ? resolved.iterator : resolved;
        }
        const n = await iterator.next();
        if (n.done) {
          await iterator.close();
          return { value: undefined, done: true };
        }
        return { value: n.value, done: false };
      },
      async return(): Promise<IteratorResult<T>> {
        await iterator?.close();
        return { value: undefined, done: true };
      },
    };
  };
  return result;
}
