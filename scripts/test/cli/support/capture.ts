/** A CLI context that captures output, for running `runCli` in-process. */
import type { CliContext } from '../../../src/cli/io.js';

export interface Captured {
  readonly ctx: CliContext;
  readonly out: string[];
  readonly err: string[];
  readonly progress: string[];
  /** stdout as one string. */
  stdout(): string;
  /** stderr (with progress lines) as one string. */
  stderr(): string;
}

/** A context with `env` (nothing from the real process), `cwd` and an optional clock. */
export function capture(env: Record<string, string | undefined>, cwd: string, now: () => Date = () => new Date()): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const progress: string[] = [];
  const ctx: CliContext = {
    io: {
      out: (l) => void out.push(l),
      err: (l) => void err.push(l),
      progress: (l) => void progress.push(l),
      progressDone: () => undefined,
    },
    env,
    cwd,
    fetch: globalThis.fetch,
    now,
  };
  return { ctx, out, err, progress, stdout: () => out.join('\n'), stderr: () => [...err, ...progress].join('\n') };
}
