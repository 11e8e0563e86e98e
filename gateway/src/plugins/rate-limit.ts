/**
 * Per-API-key rate limit (429 RATE_LIMITED). Runs after authentication (route-level hook),
 * so it counts per key hash; public routes (no key) are not limited.
 */
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { GatewayError, GatewayErrorCode } from '../errors.js';
import '../fastify-types.js';

export interface RateLimitPluginOptions {
  /** Requests allowed per key per window. */
  readonly max: number;
  /** Window length in ms. */
  readonly timeWindowMs: number;
}

const rateLimitPlugin: FastifyPluginAsync<RateLimitPluginOptions> = async (app, options) => {
  await app.register(rateLimit, {
    global: true,
    max: options.max,
    timeWindow: options.timeWindowMs,
    hook: 'onRequest',
    keyGenerator: (request) => request.apiKeyHash ?? 'anonymous',
    allowList: (request) => request.apiKeyHash === null,
    errorResponseBuilder: (_request, context) =>
      new GatewayError(GatewayErrorCode.RATE_LIMITED, `rate limit of ${context.max} requests exceeded; retry in ${context.after}`),
  });
};

/** Registers the per-key rate limit; must be registered after the auth plugin and before the routes. */
export default fp(rateLimitPlugin, { name: 'xinlian-rate-limit', fastify: '5.x', dependencies: ['xinlian-auth'] });
