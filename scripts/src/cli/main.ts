/**
 * The `xinlian` command-line tool: dispatch to one command per file, help, and the mapping
 * of failures to exit codes (0 ok, 1 check failed, 2 usage, 3 gateway).
 */
import { activityCommand } from './activity.js';
import type { Command } from './command.js';
import { consentGrantCommand } from './consent-grant.js';
import { consentSignCommand } from './consent-sign.js';
import { ExitCode, isCliError } from './errors.js';
import { integrityCommand } from './integrity.js';
import type { CliContext } from './io.js';
import { verifyCommand } from './verify.js';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [consentSignCommand, consentGrantCommand, verifyCommand, integrityCommand, activityCommand];

/** Commands with a subcommand (`consent sign`). */
const GROUPS = new Set(COMMANDS.filter((c) => c.name.includes(' ')).map((c) => c.name.split(' ')[0]!));

/** The top-level help. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: xinlian <command> [options]      (npm run xinlian -- <command> [options])

A client of the xinlian gateway for what people do by hand.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run \`xinlian <command> --help\` for a command's options. By default the gateway URL and
API keys come from the demo's credentials.json ($XINLIAN_DATA_DIR/demo/credentials.json,
data dir ./.xinlian), as written by \`npm start\`.

Exit codes: 0 ok, 1 a check failed, 2 usage error (bad arguments, input file or
credentials), 3 gateway unreachable or HTTP error (the API's error code is printed).`;
}

function groupHelp(group: string): string {
  const members = COMMANDS.filter((c) => c.name.startsWith(`${group} `));
  return `Usage: xinlian ${group} <${members.map((c) => c.name.split(' ')[1]).join('|')}> [options]\n\n${members
    .map((c) => `  ${c.name}  ${c.summary}`)
    .join('\n')}\n\nRun \`xinlian ${group} <subcommand> --help\` for its options.`;
}

const isHelp = (a: string | undefined) => a === '--help' || a === '-h' || a === 'help';

/**
 * Runs the CLI with `argv` (the arguments after the program name) and returns the exit
 * code. Never throws: every failure is printed to stderr and becomes an exit code.
 */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const [first, second, ...rest] = argv;
  if (first === undefined) {
    ctx.io.err(mainHelp());
    return ExitCode.USAGE;
  }
  if (isHelp(first)) {
    if (second === undefined) {
      ctx.io.out(mainHelp());
      return ExitCode.OK;
    }
    return runCli([...[second, ...rest].filter((a) => a !== '--help'), '--help'], ctx);
  }
  let command: Command | undefined;
  let args: readonly string[];
  if (GROUPS.has(first)) {
    if (second === undefined || isHelp(second)) {
      (second === undefined ? ctx.io.err : ctx.io.out)(groupHelp(first));
      return second === undefined ? ExitCode.USAGE : ExitCode.OK;
    }
    command = COMMANDS.find((c) => c.name === `${first} ${second}`);
    args = rest;
    if (!command) return usage(ctx, `unknown command "${first} ${second}"`, groupHelp(first));
  } else {
    command = COMMANDS.find((c) => c.name === first);
    args = argv.slice(1);
    if (!command) return usage(ctx, `unknown command "${first}"`, mainHelp());
  }
  try {
    return await command.run(args, ctx);
  } catch (e) {
    if (isCliError(e)) {
      if (e.exitCode === ExitCode.USAGE && e.code === 'CLI_USAGE') {
        return usage(ctx, e.message, `Run \`xinlian ${command.name} --help\` for its options.`);
      }
      ctx.io.err(`xinlian ${command.name}: ${e.message}`);
      return e.exitCode;
    }
    ctx.io.err(`xinlian ${command.name}: unexpected error: ${e instanceof Error ? e.message : String(e)}`);
    if (ctx.env['DEBUG'] && e instanceof Error && e.stack) ctx.io.err(e.stack);
    return ExitCode.CHECK_FAILED;
  }
}

function usage(ctx: CliContext, message: string, hint: string): number {
  ctx.io.err(`xinlian: ${message}\n\n${hint}`);
  return ExitCode.USAGE;
}
