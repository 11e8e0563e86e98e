/**
 * The demo's data directory holds API keys, signer keys, the consortium key and every
 * institution's data: it is private to the user running it (directories 0700, files 0600).
 */
import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Creates `dir` (and parents) as 0700 when missing. */
export async function mkdirPrivate(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

/**
 * Makes every directory under `dir` (and `dir`) 0700 and every file 0600. Symbolic links are
 * left alone; entries deleted meanwhile (a store compacting) are skipped.
 */
export async function restrictTree(dir: string): Promise<void> {
  const info = await lstat(dir).catch(ignoreMissing);
  if (!info || info.isSymbolicLink()) return;
  if (!info.isDirectory()) {
    await chmod(dir, 0o600).catch(ignoreMissing);
    return;
  }
  await chmod(dir, 0o700).catch(ignoreMissing);
  const entries = await readdir(dir).catch(ignoreMissing);
  for (const name of entries ?? []) await restrictTree(join(dir, name));
}

function ignoreMissing(e: NodeJS.ErrnoException): undefined {
  if (e.code === 'ENOENT') return undefined;
  throw e;
}
