/**
 * `Idempotency-Key` on every `POST` (shared/API.md): the same key from the same institution
 * with the same request within 24 hours gets the first answer again (same status and body,
 * header `Idempotent-Replayed: true`) and the work is done once; the same key with another
 * request is 409 CONFLICT. Answers are stored before they are sent, so an acknowledged write
 * is replayed even after a crash. A concurrent request under a key still in flight waits for
 * the first to finish. 5xx answers (and 408, 429) are not kept: the request may be retried.
 *
 * Runs as a preHandler, so after authentication (it needs the institution) and validation
 * (a 400 for a malformed body is not worth keeping).
 */
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { canonicalJson } from '@xinlian/chaincode';
import { GatewayError, GatewayErrorCode } from '../errors.js';
import type { IdempotencyStore } from '../store/idempotency-store.js';
import '../fastify-types.js';

export interface IdempotencyPluginOptions {
  readonly store: IdempotencyStore;
  readonly now: () => number;
}

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
const KEY_SHAPE = /^[A-Za-z0-9_.:-]{1,128}$/;

interface Pending {
  readonly scope: string;
  readonly fingerprint: string;
  readonly release: () => void;
  settled: boolean;
}

/** Statuses whose answer is kept: the final word on the request. */
function keeps(status: number): boolean {
  return status < 500 && status !== 408 && status !== 429;
}

function fingerprintOf(request: FastifyRequest): string {
  let body: string;
  try {
    body = canonicalJson(request.body ?? null);
  } catch {
    body = JSON.stringify(request.body ?? null);
  }
  return createHash('sha256').update(`${request.method} ${request.url}\n${body}`).digest('hex');
}

/** The `Idempotency-Key` of a request: undefined when absent. @throws GatewayError `GW_BAD_REQUEST` when malformed or repeated. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const raw = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) throw new GatewayError(GatewayErrorCode.BAD_REQUEST, 'send one Idempotency-Key header, not several');
  if (!KEY_SHAPE.test(raw)) throw new GatewayError(GatewayErrorCode.BAD_REQUEST, 'Idempotency-Key must be 1-128 characters of A-Z a-z 0-9 _ . : -');
  return raw;
}

/** Removes the fields a route marked secret (shown once) from the kept body. */
function withoutSecrets(payload: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return payload;
  try {
    const body = JSON.parse(payload) as Record<string, unknown>;
    if (typeof body !== 'object' || body === null) return payload;
    for (const field of secrets) delete body[field];
    return JSON.stringify(body);
  } catch {
    return payload;
  }
}

const idempotencyPlugin: FastifyPluginAsync<IdempotencyPluginOptions> = async (app, options) => {
  /** Requests in flight, by scope: a second request under the same key waits for the first. */
  const inFlight = new Map<string, Promise<void>>();
  const pendings = new WeakMap<FastifyRequest, Pending>();
  app.decorateRequest('idempotencyKey', null);

  // every POST documents (and validates) the header in the OpenAPI document
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('POST') || !route.url.startsWith('/v1/')) return;
    const schema = (route.schema ?? {}) as Record<string, unknown>;
    route.schema = {
      ...schema,
      headers: Type.Object(
        {
          [IDEMPOTENCY_KEY_HEADER]: Type.Optional(
            Type.String({
              pattern: KEY_SHAPE.source,
              description:
                'Same key, same institution, same request within 24 h: the first answer again (header Idempotent-Replayed: true), the work done once; same key with another request: 409 CONFLICT',
            }),
          ),
        },
        { additionalProperties: true },
      ),
    };
  });

  const replay = (reply: FastifyReply, status: number, body: string): FastifyReply =>
    reply.status(status).header(REPLAYED_HEADER, 'true').type('application/json; charset=utf-8').send(body);

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || request.caller === null) return;
    const key = idempotencyKeyOf(request);
    if (key === undefined) return;
    request.idempotencyKey = key;
    const scope = `${request.caller.institutionId}/${key}`;
    const fingerprint = fingerprintOf(request);
    for (;;) {
      const running = inFlight.get(scope);
      if (running) {
        await running;
        continue;
      }
      const kept = await options.store.get(scope);
      if (kept) {
        if (kept.fingerprint !== fingerprint) {
          throw new GatewayError(GatewayErrorCode.CONFLICT, `Idempotency-Key ${key} was already used for another request`);
        }
        return replay(reply, kept.status, kept.body);
      }
      // another request may have claimed the scope while the store was read
      if (inFlight.has(scope)) continue;
      let release!: () => void;
      inFlight.set(scope, new Promise<void>((resolve) => (release = resolve)));
      pendings.set(request, {
        scope,
        fingerprint,
        settled: false,
        release: () => {
          inFlight.delete(scope);
          release();
        },
      });
      return;
    }
  });

  const settle = (request: FastifyRequest): void => {
    const pending = pendings.get(request);
    if (!pending || pending.settled) return;
    pending.settled = true;
    pending.release();
  };

  app.addHook('onSend', async (request, reply, payload) => {
    const pending = pendings.get(request);
    if (!pending || pending.settled) return payload;
    try {
      if (keeps(reply.statusCode) && typeof payload === 'string') {
        const secrets = request.routeOptions.config?.secretFields ?? [];
        await options.store.put(pending.scope, {
          fingerprint: pending.fingerprint,
          status: reply.statusCode,
          body: withoutSecrets(payload, secrets),
          createdAt: options.now(),
        });
      }
    } catch (err) {
      // the work is done; the answer goes out, but a retry would not be recognised
      request.log.error({ err }, 'idempotency record not kept');
    } finally {
      settle(request);
    }
    return payload;
  });
  app.addHook('onResponse', async (request) => settle(request));
  app.addHook('onRequestAbort', async (request) => settle(request));
};

/** Registers Idempotency-Key handling for every POST; register after the auth plugin. */
export default fp(idempotencyPlugin, { name: 'xinlian-idempotency', fastify: '5.x', dependencies: ['xinlian-auth'] });
