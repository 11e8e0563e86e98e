import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { GatewayError, GatewayErrorCode } from '../errors.js';
import { EmptyBody, IdParams, withErrors } from '../schemas/common.js';
import { AdmitInstitutionBody, AdmittedView, ApiKeyView, InstitutionList, InstitutionView, SuspensionBody } from '../schemas/institutions.js';
import { callerOf, defaultEmptyBody, type RouteOptions } from './route-helpers.js';

const tags = ['institutions'];
const regulator = { roles: ['regulator'] } as const;

/** /v1/institutions: list, admission, suspension and reinstatement (regulator); /v1/api-keys/rotation. */
const institutionRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services, apiKeys }) => {
  app.get(
    '/institutions',
    { config: { roles: 'member' }, schema: { tags, summary: 'List member institutions', response: withErrors({ 200: InstitutionList }) } },
    async (request) => ({ institutions: [...(await services.listInstitutions(callerOf(request)))] }),
  );

  app.post(
    '/institutions',
    {
      config: { ...regulator, secretFields: ['apiKey'] },
      schema: {
        tags,
        summary: 'Admit an institution (regulator). Without signerAddress the gateway hosts it and answers its apiKey (shown once).',
        body: AdmitInstitutionBody,
        response: withErrors({ 201: AdmittedView }),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { signerAddress, ...input } = request.body;
      if (signerAddress !== undefined) return reply.status(201).send(await services.admitInstitution(caller, { ...input, signerAddress }));
      if (!services.canHost() || apiKeys.issue === undefined) {
        throw new GatewayError(GatewayErrorCode.BAD_REQUEST, 'signerAddress is required: this gateway hosts no new institutions');
      }
      const institution = await services.hostInstitution(caller, input);
      const apiKey = await apiKeys.issue(institution.id, institution.roles);
      return reply.status(201).send({ ...institution, apiKey });
    },
  );

  app.post(
    '/institutions/:id/suspension',
    {
      config: regulator,
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

  app.delete(
    '/institutions/:id/suspension',
    {
      config: regulator,
      schema: { tags, summary: 'Reinstate a suspended institution (regulator)', params: IdParams, response: withErrors({ 200: InstitutionView }) },
    },
    async (request) => {
      const institution = await services.reinstateInstitution(callerOf(request), request.params.id, 'reinstated by the regulator');
      app.invalidateInstitutionStatus(request.params.id);
      return institution;
    },
  );

  app.post(
    '/api-keys/rotation',
    {
      config: { roles: 'member', secretFields: ['apiKey'] },
      preValidation: defaultEmptyBody,
      schema: { tags, summary: "A new API key for the caller's institution (shown once); the old key is refused from now on", body: EmptyBody, response: withErrors({ 201: ApiKeyView }) },
    },
    async (request, reply) => {
      if (apiKeys.rotate === undefined) throw new GatewayError(GatewayErrorCode.UNAVAILABLE, 'this gateway cannot rotate API keys');
      const apiKey = await apiKeys.rotate(callerOf(request).institutionId);
      return reply.status(201).send({ apiKey });
    },
  );
};

export default institutionRoutes;
