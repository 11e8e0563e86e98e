/** A minimal JSON client of the gateway's HTTP API v1 (shared/API.md) on `fetch`. */
import { CliError, CliErrorCode } from './errors.js';
import type { Connection } from './config.js';

export interface GatewayClient {
  /**
   * GET `path` with `query` (undefined values left out).
   * @throws CliError `CLI_UNREACHABLE` (no answer, timeout) or `CLI_HTTP` (non-2xx, with the API code).
   */
  get<T>(path: string, query?: Readonly<Record<string, string | number | undefined>>, timeoutMs?: number): Promise<T>;
  /**
   * POST `body` as JSON to `path`.
   * @throws CliError `CLI_UNREACHABLE` or `CLI_HTTP`, as {@link GatewayClient.get}.
   */
  post<T>(path: string, body: unknown, timeoutMs?: number): Promise<T>;
}

/** Default time to wait for one answer. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** A client of `connection.baseUrl` authenticated with `connection.apiKey`. */
export function createGatewayClient(connection: Connection, fetchImpl: typeof fetch = globalThis.fetch): GatewayClient {
  async function call<T>(method: string, path: string, body: unknown, timeoutMs: number): Promise<T> {
    const url = `${connection.baseUrl}${path}`;
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(url, {
        method,
        headers: {
          authorization: `Bearer ${connection.apiKey}`,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (e) {
      throw new CliError(CliErrorCode.UNREACHABLE, `cannot reach the gateway at ${connection.baseUrl}: ${reasonOf(e, timeoutMs)}`, { cause: e });
    }
    let data: unknown;
    try {
      data = text === '' ? undefined : JSON.parse(text);
    } catch {
      data = undefined;
    }
    if (!response.ok) throw httpError(method, path, response, data);
    if (data === undefined) {
      throw new CliError(CliErrorCode.HTTP, `${method} ${path}: HTTP ${response.status} without a JSON body`, { status: response.status });
    }
    return data as T;
  }

  return {
    get(path, query = {}, timeoutMs = DEFAULT_TIMEOUT_MS) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
      const qs = params.toString();
      return call(`GET`, qs ? `${path}?${qs}` : path, undefined, timeoutMs);
    },
    post(path, body, timeoutMs = DEFAULT_TIMEOUT_MS) {
      return call('POST', path, body, timeoutMs);
    },
  };
}

function httpError(method: string, path: string, response: Response, data: unknown): CliError {
  const error = (data as { error?: { code?: unknown; message?: unknown; rule?: unknown } } | undefined)?.error;
  const apiCode = typeof error?.code === 'string' ? error.code : undefined;
  const message = typeof error?.message === 'string' ? error.message : response.statusText || 'no error body';
  const rule = typeof error?.rule === 'string' ? error.rule : undefined;
  const what = `${method} ${path.split('?')[0]}: HTTP ${response.status}${apiCode ? ` ${apiCode}` : ''}: ${message}${rule ? ` (rule: ${rule})` : ''}`;
  return new CliError(CliErrorCode.HTTP, what, {
    status: response.status,
    ...(apiCode ? { apiCode } : {}),
    ...(rule ? { rule } : {}),
  });
}

function reasonOf(e: unknown, timeoutMs: number): string {
  if ((e as { name?: unknown }).name === 'TimeoutError') return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return (e as Error).message ?? String(e);
}
