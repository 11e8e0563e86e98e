/**
 * Where the CLI reads and writes: the process by default, a capture in tests. Results go
 * to `out` (stdout), messages and progress to `err` (stderr), so stdout stays pipeable.
 */
import { resolve } from 'node:path';

export interface CliIo {
  /** Writes one line to stdout. */
  out(line: string): void;
  /** Writes one line to stderr. */
  err(line: string): void;
  /** Writes a progress line to stderr, replacing the previous one on a terminal. */
  progress(line: string): void;
  /** Ends a run of progress lines (a newline on a terminal). */
  progressDone(): void;
}

/** Everything a command may depend on besides its arguments. */
export interface CliContext {
  readonly io: CliIo;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative paths the user gives are resolved against this directory. */
  readonly cwd: string;
  /** The directory `npm start` ran in: $XINLIAN_DATA_DIR (default .xinlian) is relative to it (default: cwd). */
  readonly projectDir?: string;
  /** `fetch` to use (the global one by default). */
  readonly fetch: typeof fetch;
  /** The clock (for consent validity). */
  readonly now: () => Date;
}

/** A context on the real process: stdout, stderr, `process.env`, `process.cwd()`. */
export function processContext(): CliContext {
  const stderrTty = process.stderr.isTTY === true;
  let progressShown = false;
  const io: CliIo = {
    out: (line) => void process.stdout.write(`${line}\n`),
    err: (line) => void process.stderr.write(`${line}\n`),
    progress(line) {
      if (stderrTty) {
        process.stderr.write(`\r\x1b[K${line}`);
        progressShown = true;
      } else {
        process.stderr.write(`${line}\n`);
      }
    },
    progressDone() {
      if (progressShown) process.stderr.write('\n');
      progressShown = false;
    },
  };
  // Under `npm run xinlian` the process runs in the package root; the user's own directory is INIT_CWD.
  const viaNpm = process.env['npm_lifecycle_event'] === 'xinlian' && process.env['INIT_CWD'];
  return {
    io,
    env: process.env,
    cwd: viaNpm ? process.env['INIT_CWD']! : process.cwd(),
    projectDir: process.cwd(),
    fetch: globalThis.fetch,
    now: () => new Date(),
  };
}

/** Resolves a user-given path against the context's working directory. */
export function resolvePath(ctx: CliContext, path: string): string {
  return resolve(ctx.cwd, path);
}
