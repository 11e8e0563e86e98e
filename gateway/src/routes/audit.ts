import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { withErrors } from '../schemas/common.js';
import { AuditPage, AuditQuery, AuditStats, AuditStatsQuery, IntegrityResult } from '../schemas/audit.js';
import { callerOf, type RouteOptions } from './route-helpers.js';

const tags = ['audit'];
const regulator = { roles: ['regulator'] } as const;

/** /v1/audit (regulator only): events oldest first with a cursor; chain integrity. */
const auditRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.get(
    '/audit/events',
    { config: regulator, schema: { tags, summary: 'Audit events (oldest first, or newest with order=desc), by party institution, enterprise, type and time', querystring: AuditQuery, response: withErrors({ 200: AuditPage }) } },
    async (request) => services.auditEvents(callerOf(request), request.query),
  );

  app.get(
    '/audit/integrity',
    { config: regulator, schema: { tags, summary: 'Re-check the whole chain of blocks', response: withErrors({ 200: IntegrityResult }) } },
    async (request) => services.auditIntegrity(callerOf(request)),
  );

  app.get(
    '/audit/stats',
    { config: regulator, schema: { tags, summary: 'Counts per time bucket, type and institution', querystring: AuditStatsQuery, response: withErrors({ 200: AuditStats }) } },
    async (request) => services.auditStats(callerOf(request), request.query),
  );
};

export default auditRoutes;
