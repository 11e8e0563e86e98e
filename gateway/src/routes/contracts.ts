import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, withErrors } from '../schemas/common.js';
import { ContractBody, ContractView, TerminationBody } from '../schemas/contracts.js';
import { callerOf, type RouteOptions } from './route-helpers.js';

const tags = ['contracts'];

/** /v1/contracts: usage contracts negotiated with the provider's connector. */
const contractRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.post(
    '/contracts',
    {
      config: { roles: 'member' },
      schema: { tags, summary: "Negotiate a usage contract with the product's provider (403 POLICY_DENIED with rule)", body: ContractBody, response: withErrors({ 201: ContractView }) },
    },
    async (request, reply) =>
      reply.status(201).send(await services.agreeContract(callerOf(request), request.body, request.idempotencyKey !== null ? { idempotencyKey: request.idempotencyKey } : {})),
  );

  app.get(
    '/contracts/:id',
    { config: { roles: 'member' }, schema: { tags, summary: 'Read a usage contract', params: IdParams, response: withErrors({ 200: ContractView }) } },
    async (request) => services.getContract(callerOf(request), request.params.id),
  );

  app.post(
    '/contracts/:id/termination',
    {
      config: { roles: 'member' },
      schema: { tags, summary: 'End a usage contract (either party); later reports under it are 422 CONTRACT_INVALID', params: IdParams, body: TerminationBody, response: withErrors({ 200: ContractView }) },
    },
    async (request) => services.terminateContract(callerOf(request), request.params.id, request.body.reason),
  );
};

export default contractRoutes;
