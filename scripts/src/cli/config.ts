/**
 * Where the CLI finds the gateway, its API key and subject signer keys: the demo's
 * credentials.json (shared/API.md), overridable by options and environment.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CliError, CliErrorCode, usageError } from './errors.js';
import { resolvePath, type CliContext } from './io.js';

/** credentials.json as `npm start` writes it. */
export interface Credentials {
  readonly gatewayUrl?: string;
  readonly institutions: Readonly<Record<string, { readonly apiKey: string; readonly roles?: readonly string[] }>>;
  readonly subjects: readonly { readonly uscc: string; readonly signerPrivateKey: string }[];
}

/** What a gateway command talks to. */
export interface Connection {
  readonly baseUrl: string;
  readonly apiKey: string;
  /** The institution acting, when known (from `--as`). */
  readonly institutionId?: string;
}

export interface ConnectionOptions {
  readonly as?: string;
  /** Institution used when neither `--as` nor `$XINLIAN_API_KEY` is given. */
  readonly defaultAs?: string;
  readonly gateway?: string;
  readonly credentials?: string;
}

/** The credentials path: `--credentials`, `$XINLIAN_CREDENTIALS`, else `<data dir>/demo/credentials.json`. */
export function credentialsFile(ctx: CliContext, option?: string): string {
  const explicit = option ?? ctx.env['XINLIAN_CREDENTIALS'];
  if (explicit) return resolvePath(ctx, explicit);
  return join(resolve(ctx.projectDir ?? ctx.cwd, ctx.env['XINLIAN_DATA_DIR'] || '.xinlian'), 'demo', 'credentials.json');
}

/**
 * Reads and checks credentials.json.
 * @throws CliError `CLI_INPUT` when the file is missing, not JSON, or lacks `institutions` / `subjects`.
 */
export async function loadCredentials(path: string): Promise<Credentials> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const hint = (e as NodeJS.ErrnoException).code === 'ENOENT' ? ' (start the demo with `npm start`, or pass --credentials)' : '';
    throw new CliError(CliErrorCode.INPUT, `cannot read credentials ${path}: ${(e as Error).message}${hint}`, { cause: e });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new CliError(CliErrorCode.INPUT, `credentials ${path} is not JSON: ${(e as Error).message}`, { cause: e });
  }
  const c = data as Partial<Credentials> | null;
  if (
    typeof c !== 'object' || c === null ||
    typeof c.institutions !== 'object' || c.institutions === null ||
    !Array.isArray(c.subjects) ||
    (c.gatewayUrl !== undefined && typeof c.gatewayUrl !== 'string')
  ) {
    throw new CliError(CliErrorCode.INPUT, `credentials ${path} lacks "institutions" or "subjects"`);
  }
  return c as Credentials;
}

/**
 * Resolves the gateway URL and API key. The key is `--as`'s from credentials.json, else
 * `$XINLIAN_API_KEY`, else `defaultAs`'s; the URL is `--gateway`, else `$XINLIAN_GATEWAY_URL`,
 * else credentials.json's `gatewayUrl`. credentials.json is read only when needed.
 * @throws CliError `CLI_USAGE` (no URL, bad URL, unknown institution, no key) or `CLI_INPUT` (credentials file).
 */
export async function resolveConnection(ctx: CliContext, o: Readonly<ConnectionOptions>): Promise<Connection> {
  let credentials: Credentials | undefined;
  const creds = async () => (credentials ??= await loadCredentials(credentialsFile(ctx, o.credentials)));

  const envKey = ctx.env['XINLIAN_API_KEY'];
  const as = o.as ?? (envKey ? undefined : o.defaultAs);
  let apiKey: string;
  if (as !== undefined) {
    const entry = (await creds()).institutions[as];
    if (!entry || typeof entry.apiKey !== 'string') {
      const known = Object.keys((await creds()).institutions).join(', ');
      throw usageError(`no institution "${as}" in credentials (known: ${known || 'none'})`);
    }
    apiKey = entry.apiKey;
  } else if (envKey) {
    apiKey = envKey;
  } else {
    throw usageError('no API key: pass --as <institutionId> or set XINLIAN_API_KEY');
  }

  const url = o.gateway ?? ctx.env['XINLIAN_GATEWAY_URL'] ?? (await creds()).gatewayUrl;
  if (!url) throw usageError('no gateway URL: pass --gateway or set XINLIAN_GATEWAY_URL');
  return { baseUrl: checkUrl(url), apiKey, ...(as !== undefined ? { institutionId: as } : {}) };
}

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError(`gateway URL "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw usageError(`gateway URL "${url}" must be http:// or https://`);
  }
  return url.replace(/\/+$/, '');
}

/**
 * The signer private key of the subject `uscc` in credentials.json.
 * @throws CliError `CLI_USAGE` when credentials.json has no key for it.
 */
export function subjectKey(credentials: Credentials, uscc: string): string {
  const subject = credentials.subjects.find((s) => s.uscc === uscc);
  if (!subject || typeof subject.signerPrivateKey !== 'string') {
    throw usageError(`no signer key for uscc ${uscc} in credentials (${credentials.subjects.length} subjects listed)`);
  }
  return subject.signerPrivateKey;
}
