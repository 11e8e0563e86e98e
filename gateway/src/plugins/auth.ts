/**
 * Authentication, the suspension check and role checks — in one place, for every route.
 * Routes under `/v1/` must declare `config.roles`; registering one without it fails.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hashApiKey, type ApiKeyStore } from '../auth/api-key-store.js';
import { createStatusCache } from '../auth/status-cache.js';
import { GatewayError, GatewayErrorCode } from '../errors.js';
import type { RefusalRecorder } from '../refusals.js';
import type { Role, Services } from '../services.js';
import '../fastify-types.js';

export interface AuthPluginOptions {
  readonly apiKeys: ApiKeyStore;
  readonly services: Pick<Services, 'institutionStatus'>;
  readonly statusCacheMs: number;
  readonly now: () => number;
  /** Where role and suspension refusals go (to the ledger); none: not recorded. */
  readonly refusals?: RefusalRecorder;
  /** Failed authentications allowed per client address and window; beyond, 429 until the window ends. */
  readonly authFailures: { readonly max: number; readonly windowMs: number };
}

const BEARER = /^Bearer[ \t]+([\x21-\x7e]{1,512})[ \t]*$/i;

/** How many `Authorization` headers the client sent (Node keeps only the first in `headers`). */
function authorizationHeaders(request: FastifyRequest): number {
  const raw = request.raw.rawHeaders;
  let n = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'authorization') n++;
  return n;
}

/** The bearer token of a request: undefined when absent; throws when present but malformed or repeated. */
function bearerToken(request: FastifyRequest): string | undefined {
  if (authorizationHeaders(request) > 1) throw new GatewayError(GatewayErrorCode.BAD_REQUEST, 'send one Authorization header, not several');
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

  /** Failed authentications per client address in the current window. */
  const failures = new Map<string, { count: number; resetAt: number }>();
  const { max: maxFailures, windowMs } = options.authFailures;
  function refuseIfBlocked(address: string): void {
    const entry = failures.get(address);
    if (entry && entry.resetAt > options.now() && entry.count >= maxFailures) {
      const seconds = Math.ceil((entry.resetAt - options.now()) / 1000);
      throw new GatewayError(GatewayErrorCode.RATE_LIMITED, `too many failed authentications from this address; retry in ${seconds} s`);
    }
  }
  function countFailure(address: string): void {
    const now = options.now();
    if (failures.size >= 10_000) for (const [a, e] of failures) if (e.resetAt <= now) failures.delete(a);
    const entry = failures.get(address);
    if (!entry || entry.resetAt <= now) failures.set(address, { count: 1, resetAt: now + windowMs });
    else entry.count++;
  }
  /** Authentication failures count against the address, then propagate. */
  async function authenticate(request: FastifyRequest): Promise<{ readonly institutionId: string; readonly roles: readonly Role[]; readonly keyHash: string }> {
    refuseIfBlocked(request.ip);
    let token: string | undefined;
    try {
      token = bearerToken(request);
    } catch (e) {
      countFailure(request.ip);
      throw e;
    }
    if (token === undefined) throw new GatewayError(GatewayErrorCode.UNAUTHENTICATED, 'missing API key (Authorization: Bearer <api key>)');
    const keyHash = hashApiKey(token);
    const record = await options.apiKeys.lookup(keyHash);
    if (!record) {
      countFailure(request.ip);
      throw new GatewayError(GatewayErrorCode.UNAUTHENTICATED, 'invalid API key');
    }
    return { ...record, keyHash };
  }

  const actionOf = (request: FastifyRequest): string => `${request.method} ${request.routeOptions.url ?? (request.url.split('?')[0] ?? '').slice(0, 200)}`;
  /** Records the refusal of a known institution on the ledger (batched, never waited for) and throws it. */
  function refuse(request: FastifyRequest, institutionId: string, error: GatewayError): never {
    options.refusals?.record({ action: actionOf(request), code: error.code, message: error.message, requester: institutionId });
    throw error;
  }

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/v1/') && route.config?.roles === undefined) {
      throw new GatewayError(GatewayErrorCode.CONFIG, `route ${route.method} ${route.url} declares no roles`);
    }
  });

  async function refuseUnlessActive(request: FastifyRequest, institutionId: string, publicRoute: boolean): Promise<void> {
    const status = await statuses.get(institutionId);
    if (status === 'suspended') {
      refuse(request, institutionId, new GatewayError(GatewayErrorCode.INSTITUTION_SUSPENDED, `institution ${institutionId} is suspended`));
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
      if (record) await refuseUnlessActive(request, record.institutionId, true);
      return;
    }
    const record = await authenticate(request);
    await refuseUnlessActive(request, record.institutionId, false);
    if (roles !== 'member' && !record.roles.some((r) => roles.includes(r))) {
      refuse(request, record.institutionId, new GatewayError(GatewayErrorCode.FORBIDDEN, `this operation requires one of the roles: ${roles.join(', ')}`));
    }
    request.caller = { institutionId: record.institutionId, roles: record.roles };
    request.apiKeyHash = record.keyHash;
  });
};

/** Registers authentication and role checks for the whole app. */
export default fp(authPlugin, { name: 'xinlian-auth', fastify: '5.x' });
