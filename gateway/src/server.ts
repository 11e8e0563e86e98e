/**
 * The only file that reads the environment and listens. `PORT` (default 8080) and `HOST`
 * (default 127.0.0.1); `LOG_LEVEL` (default info).
 */
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from './app.js';
import { GatewayError, GatewayErrorCode } from './errors.js';

export interface ListenConfig {
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads PORT, HOST and LOG_LEVEL.
 * @throws GatewayError `GW_CONFIG` when PORT is not an integer in 0–65535 or LOG_LEVEL is unknown.
 */
export function readListenConfig(env: NodeJS.ProcessEnv = process.env): ListenConfig {
  const portText = env['PORT'] ?? '8080';
  const port = Number(portText);
  if (!/^[0-9]{1,5}$/.test(portText) || port > 65535) throw new GatewayError(GatewayErrorCode.CONFIG, `PORT must be an integer 0-65535, got "${portText}"`);
  const host = env['HOST'] || '127.0.0.1';
  const logLevel = env['LOG_LEVEL'] || 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new GatewayError(GatewayErrorCode.CONFIG, `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  return { port, host, logLevel };
}

export interface RunningGateway {
  readonly app: FastifyInstance;
  /** `http://host:port` actually bound. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Builds the app with pino logging at LOG_LEVEL and listens on HOST:PORT.
 * @throws GatewayError `GW_CONFIG` on bad environment; the listen error when the port is taken.
 */
export async function startGateway(
  options: Readonly<Omit<AppOptions, 'logger' | 'loggerInstance'>>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningGateway> {
  const config = readListenConfig(env);
  const app = await buildApp({ ...options, logger: { level: config.logLevel } });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  return { app, url: `http://${config.host}:${port}`, close: () => app.close() };
}
