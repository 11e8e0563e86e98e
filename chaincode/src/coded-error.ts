/**
 * The one coded-error base of the project: every error class that carries a machine code
 * (`CC_*`, `LEDGER_*`, `CONN_*`, …) in every package extends it, so callers test codes with
 * {@link isCodedError} instead of a private `isXxxError` per package.
 */
export class CodedError extends Error {
  /** The machine code callers compare; never parse the message. */
  readonly code: string;
  /** Structured context safe to log or return (no secrets). */
  declare readonly details?: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, details?: Readonly<Record<string, unknown>>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

/**
 * True for a {@link CodedError} and for any object with a string `code` and a string
 * `message` (a coded error that crossed a process boundary and lost its class); with
 * `code`, only when the code is that one.
 */
export function isCodedError(e: unknown, code?: string): e is CodedError {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as { code?: unknown; message?: unknown };
  if (!(e instanceof CodedError) && (typeof o.code !== 'string' || typeof o.message !== 'string')) return false;
  return code === undefined || o.code === code;
}
