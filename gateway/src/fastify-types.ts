/**
 * Fastify type augmentations used across the gateway: the authenticated caller on the
 * request, and the per-route access declaration in `config`.
 */
import type { Caller, Role } from './services.js';

/**
 * Who may call a route:
 * - `roles: [...]` — an authenticated caller holding at least one of these roles;
 * - `roles: 'member'` — any authenticated caller;
 * - no `roles` — a public route (only allowed outside `/v1/`).
 */
export type RouteRoles = readonly Role[] | 'member';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth plugin for authenticated routes; null on public routes. */
    caller: Caller | null;
    /** Hash of the presented API key, when it resolved; keys the rate limit. */
    apiKeyHash: string | null;
    /** The request's `Idempotency-Key` (POST only), once the idempotency hook accepted it. */
    idempotencyKey: string | null;
  }
  interface FastifyContextConfig {
    roles?: RouteRoles;
    /** Public route open even to suspended institutions' keys (only GET /healthz). */
    alwaysOpen?: boolean;
    /** Response fields shown once (API keys): never kept for an idempotent replay. */
    secretFields?: readonly string[];
  }
  interface FastifyInstance {
    /** Forgets the cached status of an institution (after a suspension). */
    invalidateInstitutionStatus(institutionId: string): void;
  }
}

export {};
