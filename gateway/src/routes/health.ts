import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health, ReadinessView } from '../schemas/health.js';
import type { RouteOptions } from './route-helpers.js';

/**
 * GET /healthz (always 200 while the process is up) and GET /readyz (503 when ledger or connector
 * is unreachable; connectors of suspended hosted institutions are listed in `details.suspended`
 * and do not count).
 */
const healthRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.get(
    '/healthz',
    {
      config: { alwaysOpen: true },
      logLevel: 'warn',
      schema: { tags: ['operations'], summary: 'Liveness', security: [], response: { 200: Health } },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      logLevel: 'warn',
      schema: { tags: ['operations'], summary: 'Readiness: ledger answering, connectors started (libp2p reachable, outbox draining)', security: [], response: { 200: ReadinessView, 503: ReadinessView } },
    },
    async (request, reply) => {
      let checks: { ledger: boolean; connector: boolean; p2p?: boolean; outbox?: boolean } = { ledger: false, connector: false };
      let suspended: readonly string[] = [];
      try {
        const r = await services.readiness();
        suspended = r.suspended ?? [];
        checks = {
          ledger: r.ledger === true,
          connector: r.connector === true,
          ...(r.p2p !== undefined ? { p2p: r.p2p === true } : {}),
          ...(r.outbox !== undefined ? { outbox: r.outbox === true } : {}),
        };
      } catch (err) {
        request.log.warn({ err }, 'readiness check failed');
      }
      const ready = checks.ledger && checks.connector && checks.p2p !== false && checks.outbox !== false;
      // suspended hosted institutions: their connectors are paused by design, so they do not count against readiness
      return reply.status(ready ? 200 : 503).send({ ready, checks, ...(suspended.length > 0 ? { details: { suspended: [...suspended] } } : {}) });
    },
  );
};

export default healthRoutes;
