/**
 * Authentication, the suspension check and role checks — in one place, for every route.
 * Routes under `/v1/` must declare `config.roles`; registering one without it fails.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hashApiKey, type ApiKeyStore } from '../auth/api-key-store.js';
import { createStatusCache } from '../auth/status-cache.js';
import { GatewayError, GatewayErrorCode } from '../errors.js';
import type { Services } from '../services.js';
import '../fastify-types.js';

export interface AuthPluginOptions {
  readonly apiKeys: ApiKeyStore;
  readonly services: Pick<Services, 'institutionStatus'>;
  readonly statusCacheMs: number;
  readonly now: () => number;
}

const BEARER = /^Bearer[ \t]+([\x21-\x7e]{1,512})[ \t]*$/i;

/** The bearer token of a request: undefined when absent; throws when present but malformed. */
function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined || header === '') return undefined;
  const match = BEARER.exec(header);
  if (!match) throw new GatewayError(GatewayErrorCode.UNAUTHENTICATED, 'Authorization header must be "Bearer <api key>"');
  return match[1]!;
}

const authPlugin: FastifyPluginAsync<AuthPluginOptions> = async (app, options) => {
  const statuses = createStatusCache({
    load: (id) => options.services.institutionStatus(id),
    ttlMs: options.statusCacheMs,
    now: options.now,
  });
  app.decorateRequest('caller', null);
  app.decorateRequest('apiKeyHash', null);
  app.decorate('invalidateInstitutionStatus', (id: string) => statuses.invalidate(id));

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/v1/') && route.config?.roles === undefined) {
      throw new GatewayError(GatewayErrorCode.CONFIG, `route ${route.method} ${route.url} declares no roles`);
    }
  });

  async function refuseUnlessActive(institutionId: string, publicRoute: boolean): Promise<void> {
    const status = await statuses.get(institutionId);
    if (status === 'suspended') {
      throw new GatewayError(GatewayErrorCode.INSTITUTION_SUSPENDED, `institution ${institutionId} is suspended`);
    }
    if (publicRoute) return;
    if (status === undefined) {
      throw new GatewayError(GatewayErrorCode.FORBIDDEN, `institution ${institutionId} is not a member of the consortium`);
    }
    if (status !== 'active') throw new GatewayError(GatewayErrorCode.FORBIDDEN, `institution ${institutionId} is ${status}`);
  }

  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    const roles = config?.roles;
    if (roles === undefined) {
      // Public route: a presented key of a suspended institution is refused all the same.
      if (config?.alwaysOpen === true) return;
      let token: string | undefined;
      try {
        token = bearerToken(request);
      } catch {
        return;
      }
      if (token === undefined) return;
      const record = await options.apiKeys.lookup(hashApiKey(token));
      if (record) await refuseUnlessActive(record.institutionId, true);
      return;
    }
    const token = bearerToken(request);
    if (token === undefined) throw new GatewayError(GatewayErrorCode.UNAUTHENTICATED, 'missing API key (Authorization: Bearer <api key>)');
    const keyHash = hashApiKey(token);
    const record = await options.apiKeys.lookup(keyHash);
    if (!record) throw new GatewayError(GatewayErrorCode.UNAUTHENTICATED, 'invalid API key');
    await refuseUnlessActive(record.institutionId, false);
    if (roles !== 'member' && !record.roles.some((r) => roles.includes(r))) {
      throw new GatewayError(GatewayErrorCode.FORBIDDEN, `this operation requires one of the roles: ${roles.join(', ')}`);
    }
    request.caller = { institutionId: record.institutionId, roles: record.roles };
    request.apiKeyHash = keyHash;
  });
};

/** Registers authentication and role checks for the whole app. */
export default fp(authPlugin, { name: 'xinlian-auth', fastify: '5.x' });
