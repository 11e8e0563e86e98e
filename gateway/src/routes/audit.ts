import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { withErrors } from '../schemas/common.js';
import { AuditPage, AuditQuery, IntegrityResult } from '../schemas/audit.js';
import { callerOf, type RouteOptions } from './route-helpers.js';

const tags = ['audit'];
const regulator = { roles: ['regulator'] } as const;

/** /v1/audit (regulator only): events oldest first with a cursor; chain integrity. */
const auditRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.get(
    '/audit/events',
    { config: regulator, schema: { tags, summary: 'Audit events, oldest first', querystring: AuditQuery, response: withErrors({ 200: AuditPage }) } },
    async (request) => services.auditEvents(callerOf(request), request.query),
  );

  app.get(
    '/audit/integrity',
    { config: regulator, schema: { tags, summary: 'Re-check the whole chain of blocks', response: withErrors({ 200: IntegrityResult }) } },
    async (request) => services.auditIntegrity(callerOf(request)),
  );
};

export default auditRoutes;
