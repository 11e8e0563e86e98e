/** Command-line parsing on `node:util` parseArgs, with usage errors instead of crashes. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true }>>;

/** Options every gateway command accepts. */
export const CONNECTION_OPTIONS = {
  as: { type: 'string' },
  gateway: { type: 'string' },
  credentials: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies Options;

/** The help lines for {@link CONNECTION_OPTIONS}. */
export const CONNECTION_HELP = `Connection:
  --gateway URL        gateway base URL (default: $XINLIAN_GATEWAY_URL, else credentials.json's gatewayUrl)
  --credentials FILE   demo credentials (default: $XINLIAN_CREDENTIALS, else
                       $XINLIAN_DATA_DIR/demo/credentials.json with data dir ./.xinlian)
  $XINLIAN_API_KEY     used as the API key when --as is not given
  --json               print the gateway's JSON answer instead of text`;

/**
 * Parses `argv` against `options` (strict: unknown options are errors).
 * @throws CliError `CLI_USAGE` on an unknown option, a missing option value, or too many positionals.
 */
export function parse<T extends Options>(argv: readonly string[], options: T, maxPositionals: number): Parsed<T> {
  let parsed: Parsed<T>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (e) {
    throw usageError((e as Error).message);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw usageError(`unexpected argument "${parsed.positionals[maxPositionals]}"`);
  }
  return parsed;
}

/**
 * Reads an integer option.
 * @throws CliError `CLI_USAGE` when `text` is not an integer in [min, max].
 */
export function integerOption(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || n < min || n > max) {
    throw usageError(`--${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return n;
}

/**
 * Returns `value`, or throws a usage error naming the missing option.
 * @throws CliError `CLI_USAGE` when `value` is undefined.
 */
export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw usageError(`missing --${name}`);
  return value;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * Checks an institution or product id's form (as the API's `Id`).
 * @throws CliError `CLI_USAGE` when it is malformed.
 */
export function idArgument(what: string, text: string): string {
  if (!ID.test(text)) throw usageError(`${what} "${text}" is not a valid id (letters, digits, . _ : -)`);
  return text;
}

/** The connection options given on the command line, for `resolveConnection`. */
export function connectionOptions(values: {
  readonly as?: string | undefined;
  readonly gateway?: string | undefined;
  readonly credentials?: string | undefined;
}): { as?: string; gateway?: string; credentials?: string } {
  return {
    ...(values.as !== undefined ? { as: values.as } : {}),
    ...(values.gateway !== undefined ? { gateway: values.gateway } : {}),
    ...(values.credentials !== undefined ? { credentials: values.credentials } : {}),
  };
}
