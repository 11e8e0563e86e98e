/**
 * Builds the gateway's fastify app. Never listens (see server.ts); tests use `inject`.
 */
import type { Server } from 'node:http';
import Fastify, { type FastifyHttpOptions, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ApiKeyStore } from './auth/api-key-store.js';
import idempotencyPlugin from './plugins/idempotency.js';
import { createRefusalRecorder } from './refusals.js';
import { createMemoryIdempotencyStore, type IdempotencyStore } from './store/idempotency-store.js';
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
import fraudRingRoutes from './routes/fraud-rings.js';
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
  /** Where Idempotency-Key answers are kept (default: in memory, lost on restart; use openGatewayStore). */
  readonly idempotency?: IdempotencyStore;
  /** Record role and suspension refusals on the ledger through `services.recordRefusals` (default true). */
  readonly recordRefusals?: boolean;
  /** How often queued refusals are written, ms (default 200). */
  readonly refusalFlushMs?: number;
  /** The same refusal (institution, action, code) is recorded once per this many ms (default 60000; 0: every one). */
  readonly refusalRepeatWindowMs?: number;
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
  /** Failed authentications per client address and window before 429 (default 30 per 60 s). */
  readonly authFailures?: { readonly max: number; readonly timeWindowMs: number };
  /** Whole request (headers and body) must arrive within this, ms (default 30000); else 408 and the connection closes. */
  readonly requestTimeoutMs?: number;
  /** Request headers must arrive within this, ms (default 10000). */
  readonly headersTimeoutMs?: number;
  /** An idle keep-alive connection is closed after this, ms (default 5000). */
  readonly keepAliveTimeoutMs?: number;
  /** A socket with no activity is closed after this, ms (default 60000). */
  readonly idleTimeoutMs?: number;
  /** Requests served on one keep-alive connection before it is closed (default 1000). */
  readonly maxRequestsPerSocket?: number;
  /** Open connections at most; more are refused at once (default 1024). */
  readonly maxConnections?: number;
}

const DEFAULT_RATE_LIMIT = { max: 600, timeWindowMs: 60_000 };
const DEFAULT_AUTH_FAILURES = { max: 30, timeWindowMs: 60_000 };
const API_VERSION = '1.1.0';

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
  const authFailures = options.authFailures ?? DEFAULT_AUTH_FAILURES;
  const requestTimeout = positive('requestTimeoutMs', options.requestTimeoutMs, 30_000);
  const headersTimeout = Math.min(positive('headersTimeoutMs', options.headersTimeoutMs, 10_000), requestTimeout);
  const maxConnections = positive('maxConnections', options.maxConnections, 1024);
  const serverOptions: FastifyHttpOptions<Server> = {
    genReqId,
    bodyLimit: positive('bodyLimit', options.bodyLimit, 1024 * 1024),
    http: {
      maxHeaderSize: positive('maxHeaderSize', options.maxHeaderSize, 16 * 1024),
      headersTimeout,
      // how often Node looks for requests past their deadline (its default, 30 s, would let a stalled body live that long)
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 2))),
    },
    requestTimeout,
    keepAliveTimeout: positive('keepAliveTimeoutMs', options.keepAliveTimeoutMs, 5_000),
    connectionTimeout: positive('idleTimeoutMs', options.idleTimeoutMs, 60_000),
    maxRequestsPerSocket: positive('maxRequestsPerSocket', options.maxRequestsPerSocket, 1_000),
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
  app.server.maxConnections = maxConnections;
  app.setValidatorCompiler(validatorCompiler);
  // JSON only: anything else is 415.
  app.removeContentTypeParser(['text/plain']);

  await app.register(errorHandlerPlugin);
  await app.register(requestIdPlugin);
  // docs first: @fastify/swagger only sees routes registered after it
  if (options.docs ?? true) await app.register(docsPlugin, { version: API_VERSION });
  await app.register(metricsPlugin, { defaultMetrics: options.defaultMetrics ?? true });
  const refusals =
    options.recordRefusals === false
      ? undefined
      : createRefusalRecorder({
          write: (list) => options.services.recordRefusals(list),
          log: app.log,
          flushMs: positive('refusalFlushMs', options.refusalFlushMs, 200),
          repeatWindowMs: options.refusalRepeatWindowMs === 0 ? 0 : positive('refusalRepeatWindowMs', options.refusalRepeatWindowMs, 60_000),
          ...(options.now ? { now: options.now } : {}),
        });
  if (refusals) app.addHook('onClose', async () => refusals.close());
  await app.register(authPlugin, {
    apiKeys: options.apiKeys,
    services: options.services,
    statusCacheMs: positive('statusCacheMs', options.statusCacheMs, 5_000),
    now: options.now ?? Date.now,
    ...(refusals ? { refusals } : {}),
    authFailures: {
      max: positive('authFailures.max', authFailures.max, DEFAULT_AUTH_FAILURES.max),
      windowMs: positive('authFailures.timeWindowMs', authFailures.timeWindowMs, DEFAULT_AUTH_FAILURES.timeWindowMs),
    },
  });
  await app.register(rateLimitPlugin, {
    max: positive('rateLimit.max', rateLimit.max, DEFAULT_RATE_LIMIT.max),
    timeWindowMs: positive('rateLimit.timeWindowMs', rateLimit.timeWindowMs, DEFAULT_RATE_LIMIT.timeWindowMs),
  });

  await app.register(idempotencyPlugin, { store: options.idempotency ?? createMemoryIdempotencyStore(options.now), now: options.now ?? Date.now });

  const routeOptions = { services: options.services, apiKeys: options.apiKeys };
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
        fraudRingRoutes,
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
