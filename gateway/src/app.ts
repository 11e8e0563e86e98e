/**
 * Builds the gateway's fastify app. Never listens (see server.ts); tests use `inject`.
 */
import type { Server } from 'node:http';
import Fastify, { type FastifyHttpOptions, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ApiKeyStore } from './auth/api-key-store.js';
import { clientErrorHandler } from './client-error.js';
import { mapError } from './error-map.js';
import { GatewayError, GatewayErrorCode } from './errors.js';
import authPlugin from './plugins/auth.js';
import docsPlugin from './plugins/docs.js';
import errorHandlerPlugin from './plugins/error-handler.js';
import metricsPlugin from './plugins/metrics.js';
import rateLimitPlugin from './plugins/rate-limit.js';
import requestIdPlugin, { genReqId } from './plugins/request-id.js';
import auditRoutes from './routes/audit.js';
import catalogRoutes from './routes/catalog.js';
import consentRoutes from './routes/consents.js';
import contractRoutes from './routes/contracts.js';
import healthRoutes from './routes/health.js';
import institutionRoutes from './routes/institutions.js';
import lendingRoutes from './routes/lending.js';
import provenanceRoutes from './routes/provenance.js';
import riskReportRoutes from './routes/risk-reports.js';
import subjectRoutes from './routes/subjects.js';
import type { Services } from './services.js';
import { registerFormats, schemaErrorFormatter, validatorCompiler } from './validation.js';

export interface AppOptions {
  /** The only way to the ledger and the other institutions. */
  readonly services: Services;
  readonly apiKeys: ApiKeyStore;
  /** fastify/pino logger options (default: off). Ignored when `loggerInstance` is given. */
  readonly logger?: FastifyServerOptions['logger'];
  readonly loggerInstance?: FastifyServerOptions['loggerInstance'];
  /** Per-key rate limit (default 600 requests per 60 s). */
  readonly rateLimit?: { readonly max: number; readonly timeWindowMs: number };
  /** How long an institution's status is cached for the suspension check, ms (default 5000). */
  readonly statusCacheMs?: number;
  /** Largest accepted request body in bytes (default 1 MiB); larger → 413. */
  readonly bodyLimit?: number;
  /** Largest accepted request header block in bytes (default 16 KiB); larger → 431 (real sockets only). */
  readonly maxHeaderSize?: number;
  /** Export Node's default process metrics at /metrics (default true). */
  readonly defaultMetrics?: boolean;
  /** Serve /docs and /docs/json (default true). */
  readonly docs?: boolean;
  /** Clock in ms for caches (default Date.now). */
  readonly now?: () => number;
}

const DEFAULT_RATE_LIMIT = { max: 600, timeWindowMs: 60_000 };
const API_VERSION = '1.0.0';

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) throw new GatewayError(GatewayErrorCode.CONFIG, `${name} must be a positive integer`);
  return value;
}

/**
 * Builds the app with every plugin and route of shared/API.md, ready for `inject` or `listen`.
 * @throws GatewayError `GW_CONFIG` on invalid options.
 */
export async function buildApp(options: Readonly<AppOptions>): Promise<FastifyInstance> {
  registerFormats();
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  const serverOptions: FastifyHttpOptions<Server> = {
    genReqId,
    bodyLimit: positive('bodyLimit', options.bodyLimit, 1024 * 1024),
    http: { maxHeaderSize: positive('maxHeaderSize', options.maxHeaderSize, 16 * 1024) },
    clientErrorHandler,
    // The router refuses some URLs (over-long parameters, bad percent-encoding) before any
    // hook runs; answer those in the API's error shape too.
    frameworkErrors: (error, request, reply) => {
      const mapped = mapError(error, request.id);
      const raw = reply as unknown as { code(n: number): { type(t: string): { send(b: unknown): unknown } } };
      void raw.code(mapped.status).type('application/json; charset=utf-8').send(mapped.body);
    },
    schemaErrorFormatter,
    ...(options.loggerInstance !== undefined ? { loggerInstance: options.loggerInstance } : { logger: options.logger ?? false }),
  };
  const app = Fastify(serverOptions).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  // JSON only: anything else is 415.
  app.removeContentTypeParser(['text/plain']);

  await app.register(errorHandlerPlugin);
  await app.register(requestIdPlugin);
  // docs first: @fastify/swagger only sees routes registered after it
  if (options.docs ?? true) await app.register(docsPlugin, { version: API_VERSION });
  await app.register(metricsPlugin, { defaultMetrics: options.defaultMetrics ?? true });
  await app.register(authPlugin, {
    apiKeys: options.apiKeys,
    services: options.services,
    statusCacheMs: positive('statusCacheMs', options.statusCacheMs, 5_000),
    now: options.now ?? Date.now,
  });
  await app.register(rateLimitPlugin, {
    max: positive('rateLimit.max', rateLimit.max, DEFAULT_RATE_LIMIT.max),
    timeWindowMs: positive('rateLimit.timeWindowMs', rateLimit.timeWindowMs, DEFAULT_RATE_LIMIT.timeWindowMs),
  });

  const routeOptions = { services: options.services };
  await app.register(healthRoutes, routeOptions);
  await app.register(
    async (v1) => {
      for (const routes of [
        institutionRoutes,
        subjectRoutes,
        consentRoutes,
        catalogRoutes,
        contractRoutes,
        riskReportRoutes,
        lendingRoutes,
        provenanceRoutes,
        auditRoutes,
      ]) {
        await v1.register(routes, routeOptions);
      }
    },
    { prefix: '/v1' },
  );
  await app.ready();
  return app;
}
