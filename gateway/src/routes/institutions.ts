import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, withErrors } from '../schemas/common.js';
import { AdmitInstitutionBody, InstitutionList, InstitutionView, SuspensionBody } from '../schemas/institutions.js';
import { callerOf, defaultEmptyBody, type RouteOptions } from './route-helpers.js';

const tags = ['institutions'];

/** /v1/institutions: list, admission and suspension (regulator). */
const institutionRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.get(
    '/institutions',
    { config: { roles: 'member' }, schema: { tags, summary: 'List member institutions', response: withErrors({ 200: InstitutionList }) } },
    async (request) => ({ institutions: [...(await services.listInstitutions(callerOf(request)))] }),
  );

  app.post(
    '/institutions',
    {
      config: { roles: ['regulator'] },
      schema: { tags, summary: 'Admit an institution (regulator)', body: AdmitInstitutionBody, response: withErrors({ 201: InstitutionView }) },
    },
    async (request, reply) => reply.status(201).send(await services.admitInstitution(callerOf(request), request.body)),
  );

  app.post(
    '/institutions/:id/suspension',
    {
      config: { roles: ['regulator'] },
      preValidation: defaultEmptyBody,
      schema: {
        tags,
        summary: 'Suspend an institution (regulator): its keys get 403 everywhere but /healthz',
        params: IdParams,
        body: SuspensionBody,
        response: withErrors({ 200: InstitutionView }),
      },
    },
    async (request) => {
      const institution = await services.suspendInstitution(callerOf(request), request.params.id, request.body.reason ?? 'suspended by the regulator');
      app.invalidateInstitutionStatus(request.params.id);
      return institution;
    },
  );
};

export default institutionRoutes;
