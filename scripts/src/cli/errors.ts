/**
 * Errors and exit codes of the `xinlian` command-line tool. Callers compare `code`
 * (see {@link isCliError}), never `instanceof`.
 */
import { CodedError, isCodedError } from '@xinlian/chaincode';

/** The process exit codes the CLI promises (documented in `xinlian --help`). */
export const ExitCode = {
  /** Done; every check passed. */
  OK: 0,
  /** A check failed (report not valid, ledger broken) or an unexpected error. */
  CHECK_FAILED: 1,
  /** Bad command line, missing or malformed input file or credentials. */
  USAGE: 2,
  /** Gateway unreachable, timed out, or answered with an HTTP error. */
  GATEWAY: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const CliErrorCode = {
  /** Unknown command or option, missing or malformed argument. */
  USAGE: 'CLI_USAGE',
  /** An input file (draft, report, credentials) missing, unreadable or malformed. */
  INPUT: 'CLI_INPUT',
  /** No answer from the gateway: connection refused, DNS, timeout. */
  UNREACHABLE: 'CLI_UNREACHABLE',
  /** The gateway answered with a non-2xx status. */
  HTTP: 'CLI_HTTP',
} as const;
export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];

const EXIT_OF: Readonly<Record<CliErrorCode, ExitCode>> = {
  CLI_USAGE: ExitCode.USAGE,
  CLI_INPUT: ExitCode.USAGE,
  CLI_UNREACHABLE: ExitCode.GATEWAY,
  CLI_HTTP: ExitCode.GATEWAY,
};

export interface CliErrorDetails {
  /** HTTP status, for `CLI_HTTP`. */
  readonly status?: number;
  /** The API's public error code (`FORBIDDEN`, `CONSENT_INVALID`, ...), for `CLI_HTTP`. */
  readonly apiCode?: string;
  /** The deciding policy rule of a `POLICY_DENIED`. */
  readonly rule?: string;
  readonly cause?: unknown;
}

/** A failure the CLI reports to the user with a message and an exit code. */
export class CliError extends CodedError {
  override readonly name = 'CliError';
  declare readonly code: CliErrorCode;
  readonly status?: number;
  readonly apiCode?: string;
  readonly rule?: string;

  constructor(code: CliErrorCode, message: string, details: CliErrorDetails = {}) {
    const { cause, ...safe } = details;
    super(code, message, Object.keys(safe).length > 0 ? safe : undefined);
    if (cause !== undefined) this.cause = cause;
    if (details.status !== undefined) this.status = details.status;
    if (details.apiCode !== undefined) this.apiCode = details.apiCode;
    if (details.rule !== undefined) this.rule = details.rule;
  }

  /** The exit code this error ends the process with. */
  get exitCode(): ExitCode {
    return EXIT_OF[this.code];
  }
}

/** True when `e` is a {@link CliError} (optionally with this `code`). */
export function isCliError(e: unknown, code?: CliErrorCode): e is CliError {
  return isCodedError(e, code) && (e as { name?: unknown }).name === 'CliError';
}

/** Shorthand for a `CLI_USAGE` error. */
export function usageError(message: string): CliError {
  return new CliError(CliErrorCode.USAGE, message);
}
