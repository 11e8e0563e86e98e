import type { FastifyRequest } from 'fastify';
import { GatewayError, GatewayErrorCode } from '../errors.js';
import type { ApiKeyStore } from '../auth/api-key-store.js';
import type { Caller, Services } from '../services.js';
import '../fastify-types.js';

/** Options every route plugin receives. */
export interface RouteOptions {
  readonly services: Services;
  readonly apiKeys: ApiKeyStore;
}

/**
 * The authenticated caller of a `/v1/` route.
 * @throws GatewayError `GW_UNAUTHENTICATED` if the auth hook did not run (a wiring bug).
 */
export function callerOf(request: FastifyRequest): Caller {
  if (request.caller === null) throw new GatewayError(GatewayErrorCode.UNAUTHENTICATED, 'not authenticated');
  return request.caller;
}

/** preValidation hook for POSTs whose body is optional: no body means `{}`. */
export async function defaultEmptyBody(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) (request as { body: unknown }).body = {};
}
