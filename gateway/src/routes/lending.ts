import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { GatewayError, GatewayErrorCode } from '../errors.js';
import { withErrors } from '../schemas/common.js';
import { LendingEventsBody, LendingEventsResult, MultiLendingBody, MultiLendingResult } from '../schemas/lending.js';
import { callerOf, type RouteOptions } from './route-helpers.js';

const tags = ['multi-lending'];

/** Lending events (all or nothing) and recorded multi-lending checks. */
const lendingRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.post(
    '/lending-events',
    {
      config: { roles: ['microlender', 'bank', 'guarantor'] },
      schema: { tags, summary: 'Report applications, loans, repayments, overdues (all or nothing)', body: LendingEventsBody, response: withErrors({ 201: LendingEventsResult }) },
    },
    async (request, reply) => {
      const misplaced = request.body.events.findIndex((e) => e.attributes !== undefined && e.type !== 'application');
      if (misplaced >= 0) throw new GatewayError(GatewayErrorCode.BAD_REQUEST, `events[${misplaced}].attributes is allowed on application events only`);
      return reply.status(201).send(await services.recordLendingEvents(callerOf(request), request.body.events, request.idempotencyKey !== null ? { idempotencyKey: request.idempotencyKey } : {}));
    },
  );

  app.post(
    '/multi-lending/check',
    {
      config: { roles: 'member' },
      schema: {
        tags,
        summary: 'Recorded multi-lending check: counts over other institutions (422 without a consent for pre_loan, in_loan, post_loan or guarantee)',
        body: MultiLendingBody,
        response: withErrors({ 200: MultiLendingResult }),
      },
    },
    async (request) => services.checkMultiLending(callerOf(request), request.body, request.idempotencyKey !== null ? { idempotencyKey: request.idempotencyKey } : {}),
  );
};

export default lendingRoutes;
