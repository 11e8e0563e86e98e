import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EmptyBody, IdParams, withErrors } from '../schemas/common.js';
import {
  ConsentCreated,
  ConsentDraftBody,
  ConsentView,
  GrantConsentBody,
  RevokeConsentBody,
  RevokedView,
  TypedDataResponse,
} from '../schemas/consents.js';
import { callerOf, defaultEmptyBody, type RouteOptions } from './route-helpers.js';

const tags = ['consents'];
const member = { roles: 'member' } as const;

/** /v1/consents: EIP-712 drafts for the enterprise to sign, grant, revocation, read. */
const consentRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.post(
    '/consents/draft',
    { config: member, schema: { tags, summary: 'EIP-712 consent for the enterprise to sign', body: ConsentDraftBody, response: withErrors({ 200: TypedDataResponse }) } },
    async (request) => ({ typedData: await services.draftConsent(callerOf(request), request.body) }),
  );

  app.post(
    '/consents',
    { config: member, schema: { tags, summary: 'Record a signed consent', body: GrantConsentBody, response: withErrors({ 201: ConsentCreated }) } },
    async (request, reply) => reply.status(201).send(await services.grantConsent(callerOf(request), request.body)),
  );

  app.post(
    '/consents/:id/revocation/draft',
    {
      config: member,
      preValidation: defaultEmptyBody,
      schema: { tags, summary: 'EIP-712 revocation for the enterprise to sign', params: IdParams, body: EmptyBody, response: withErrors({ 200: TypedDataResponse }) },
    },
    async (request) => ({ typedData: await services.draftConsentRevocation(callerOf(request), request.params.id) }),
  );

  app.post(
    '/consents/:id/revocation',
    { config: member, schema: { tags, summary: 'Revoke a consent with the enterprise signature', params: IdParams, body: RevokeConsentBody, response: withErrors({ 200: RevokedView }) } },
    async (request) => services.revokeConsent(callerOf(request), request.params.id, request.body.signature),
  );

  app.get(
    '/consents/:id',
    { config: member, schema: { tags, summary: 'Read a consent', params: IdParams, response: withErrors({ 200: ConsentView }) } },
    async (request) => services.getConsent(callerOf(request), request.params.id),
  );
};

export default consentRoutes;
