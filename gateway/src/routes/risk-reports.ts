import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { withErrors } from '../schemas/common.js';
import { RiskReportBody, RiskReportResponse } from '../schemas/contracts.js';
import { callerOf, type RouteOptions } from './route-helpers.js';

/** POST /v1/risk-reports: a risk report under a contract and consent, with its provenance receipt. */
const riskReportRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.post(
    '/risk-reports',
    {
      config: { roles: 'member' },
      schema: {
        tags: ['contracts'],
        summary: 'Obtain a risk report (422 when the consent or the contract is not valid)',
        body: RiskReportBody,
        response: withErrors({ 200: RiskReportResponse }),
      },
    },
    async (request) =>
      services.requestRiskReport(callerOf(request), request.body, request.idempotencyKey !== null ? { idempotencyKey: request.idempotencyKey } : {}),
  );
};

export default riskReportRoutes;
