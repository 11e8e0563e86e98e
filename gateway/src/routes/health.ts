import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health, ReadinessView } from '../schemas/health.js';
import type { RouteOptions } from './route-helpers.js';

/** GET /healthz (always 200 while the process is up) and GET /readyz (503 when ledger or connector is unreachable). */
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
      schema: { tags: ['operations'], summary: 'Readiness: ledger and connector reachable', security: [], response: { 200: ReadinessView, 503: ReadinessView } },
    },
    async (request, reply) => {
      let checks = { ledger: false, connector: false };
      try {
        const r = await services.readiness();
        checks = { ledger: r.ledger === true, connector: r.connector === true };
      } catch (err) {
        request.log.warn({ err }, 'readiness check failed');
      }
      const ready = checks.ledger && checks.connector;
      return reply.status(ready ? 200 : 503).send({ ready, checks });
    },
  );
};

export default healthRoutes;
