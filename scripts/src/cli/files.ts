/** JSON files the CLI reads and writes (drafts, signed consents, report + receipt). */
import { readFile, writeFile } from 'node:fs/promises';
import { CliError, CliErrorCode } from './errors.js';
import { resolvePath, type CliContext } from './io.js';

/**
 * Reads and parses a JSON file (relative to the context's cwd).
 * @throws CliError `CLI_INPUT` when the file cannot be read or is not JSON.
 */
export async function readJsonFile(ctx: CliContext, path: string, what: string): Promise<unknown> {
  const full = resolvePath(ctx, path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (e) {
    throw new CliError(CliErrorCode.INPUT, `cannot read ${what} ${full}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(CliErrorCode.INPUT, `${what} ${full} is not JSON: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Writes `value` as indented JSON; returns the full path.
 * @throws CliError `CLI_INPUT` when the file cannot be written.
 */
export async function writeJsonFile(ctx: CliContext, path: string, value: unknown): Promise<string> {
  const full = resolvePath(ctx, path);
  try {
    await writeFile(full, `${JSON.stringify(value, null, 2)}\n`);
  } catch (e) {
    throw new CliError(CliErrorCode.INPUT, `cannot write ${full}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  return full;
}
