import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { GatewayError } from '../errors.js';
import { FraudRingBody, FraudRingResult } from '../schemas/fraud-rings.js';
import { withErrors } from '../schemas/common.js';
import { callerOf, type RouteOptions } from './route-helpers.js';

const tags = ['fraud-rings'];

/** Recorded fraud-ring checks, answered by the provider of the consent's `ring` product. */
const fraudRingRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.post(
    '/fraud-rings/check',
    {
      config: { roles: ['microlender', 'bank', 'guarantor'] },
      schema: {
        tags,
        summary: 'Recorded fraud-ring check: is the enterprise in a ring of firms sharing identifiers and applying together (422 without a consent naming the caller and covering a ring product)',
        body: FraudRingBody,
        response: withErrors({ 200: FraudRingResult }),
      },
    },
    async (request) => {
      if (!services.checkFraudRing) throw new GatewayError('GW_UNAVAILABLE', 'fraud-ring checks are not served here');
      return services.checkFraudRing(callerOf(request), request.body, request.idempotencyKey !== null ? { idempotencyKey: request.idempotencyKey } : {});
    },
  );
};

export default fraudRingRoutes;
