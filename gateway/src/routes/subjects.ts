import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { withErrors } from '../schemas/common.js';
import { RegisterSubjectBody, SubjectCreated } from '../schemas/consents.js';
import { callerOf, type RouteOptions } from './route-helpers.js';

/** POST /v1/subjects (operator): blind a USCC into a subject token and register its signers. */
const subjectRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.post(
    '/subjects',
    {
      config: { roles: ['operator'] },
      schema: { tags: ['consents'], summary: 'Register an enterprise and its signers (operator)', body: RegisterSubjectBody, response: withErrors({ 201: SubjectCreated }) },
    },
    async (request, reply) => reply.status(201).send(await services.registerSubject(callerOf(request), request.body)),
  );
};

export default subjectRoutes;
