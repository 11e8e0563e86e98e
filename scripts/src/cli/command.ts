/** The shape of one CLI command (one file each under this folder). */
import type { CliContext } from './io.js';

export interface Command {
  /** As typed: `verify`, `consent sign`. */
  readonly name: string;
  /** One line for `xinlian --help`. */
  readonly summary: string;
  /** Full help for `xinlian <command> --help`. */
  readonly help: string;
  /**
   * Runs with the arguments after the command name; returns the exit code.
   * @throws CliError for usage, input and gateway failures (mapped to exit codes by the caller).
   */
  run(argv: readonly string[], ctx: CliContext): Promise<number>;
}
