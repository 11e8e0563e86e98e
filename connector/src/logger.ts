import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The connector's default logger: JSON lines on stdout at `XINLIAN_LOG_LEVEL` (default
 * `info`). A host (the gateway, the demo) passes its own instead; the connector derives one
 * child per institution (`institution`) and per part (`component`: ledger-writer,
 * revocation-follower, provider, consumer, p2p). Keys, USCCs and raw data are never logged.
 */
export function defaultLogger(): Logger {
  return pino({ level: process.env['XINLIAN_LOG_LEVEL'] ?? 'info', base: { service: 'xinlian-connector' } });
}

/** `{ err }` for a log line: code and message of a coded error, the error itself otherwise. */
export function errFields(e: unknown): Record<string, unknown> {
  if (typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string') {
    return { code: (e as { code: string }).code, err: e };
  }
  return { err: e };
}
