import { ClassicLevel } from 'classic-level';
import { ConnectorError, ConnectorErrorCode } from '../domain/errors.js';

/** The root LevelDB database of a connector; values are JSON. */
export type RootDb = ClassicLevel<string, unknown>;

/** Opens a JSON-valued sublevel (keys prefixed with `!name!`). */
export function openSublevel(root: RootDb, name: string) {
  return root.sublevel<string, unknown>(name, { valueEncoding: 'json' });
}
export type Sublevel = ReturnType<typeof openSublevel>;

/** One write in an atomic multi-sublevel batch. */
export type WriteOp =
  | {
      readonly type: 'put';
      readonly sublevel: Sublevel;
      readonly key: string;
      readonly value: unknown;
    }
  | { readonly type: 'del'; readonly sublevel: Sublevel; readonly key: string };

/**
 * Writes `ops` atomically across sublevels; `sync` waits for the OS to flush the log
 * to disk before resolving (durable on a machine crash, not only a process crash).
 * @throws ConnectorError `CONN_STORE_UNAVAILABLE` when the database is closed or failing.
 */
export async function writeAtomic(
  root: RootDb,
  ops: readonly WriteOp[],
  sync = false,
): Promise<void> {
  if (ops.length === 0) return;
  await guard(() => root.batch(ops as never[], { sync }));
}

/**
 * Runs a LevelDB operation, turning Level's errors into `CONN_STORE_UNAVAILABLE`.
 * @throws ConnectorError `CONN_STORE_UNAVAILABLE`; connector errors pass through.
 */
export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if ((e as { name?: unknown }).name === 'ConnectorError') throw e;
    const code = (e as { code?: unknown }).code;
    throw new ConnectorError(
      ConnectorErrorCode.STORE_UNAVAILABLE,
      `local store failed${typeof code === 'string' ? ` (${code})` : ''}: ${(e as Error).message}`,
      { cause: e },
    );
  }
}

/**
 * Checks a store key: a non-empty string of at most 512 characters without NUL.
 * @throws ConnectorError `CONN_BAD_INPUT`.
 */
export function checkKey(key: unknown, what = 'key'): asserts key is string {
  if (typeof key !== 'string' || key.length === 0 || key.length > 512 || key.includes('\u0000')) {
    throw new ConnectorError(
      ConnectorErrorCode.BAD_INPUT,
      `${what} must be a non-empty string of at most 512 characters`,
    );
  }
}

/** Fixed-width decimal so that numbers sort as strings (up to 2^53). */
export function sortableNumber(n: number): string {
  return Math.max(0, Math.floor(n)).toString().padStart(16, '0');
}
