/**
 * Request ids: a well-formed incoming `x-request-id` is kept, anything else replaced by a
 * random UUID; the id is logged with every line (pino child logger) and echoed back.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

export const REQUEST_ID_HEADER = 'x-request-id';
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,64}$/;

/** fastify `genReqId`: the caller's id when well-formed, else a new UUID. */
export function genReqId(raw: IncomingMessage): string {
  const given = raw.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && WELL_FORMED.test(given) ? given : randomUUID();
}

const requestIdPlugin: FastifyPluginAsync = async (app) => {
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
};

/** Echoes the request id in the `x-request-id` response header. */
export default fp(requestIdPlugin, { name: 'xinlian-request-id', fastify: '5.x' });
