/**
 * The one error handler: every error goes through `mapError` (error-map.ts). 5xx messages
 * are hidden from the client and logged with the error; no stack ever reaches a response.
 */
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { GatewayError, GatewayErrorCode } from '../errors.js';
import { mapError } from '../error-map.js';

const errorHandlerPlugin: FastifyPluginAsync = async (app) => {
  app.setErrorHandler((error, request, reply) => {
    const mapped = mapError(error, request.id);
    if (mapped.hidden) request.log.error({ err: error, unmapped: mapped.unmapped }, 'request failed');
    else request.log.info({ code: mapped.body.error.code, reason: mapped.body.error.reason }, mapped.body.error.message);
    if (mapped.status === 413 || mapped.status === 431) reply.header('connection', 'close');
    return reply.status(mapped.status).type('application/json; charset=utf-8').send(mapped.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const mapped = mapError(new GatewayError(GatewayErrorCode.NOT_FOUND, `no route ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`), request.id);
    return reply.status(mapped.status).send(mapped.body);
  });
};

/** Installs the error and not-found handlers on the root instance. */
export default fp(errorHandlerPlugin, { name: 'xinlian-error-handler', fastify: '5.x' });
