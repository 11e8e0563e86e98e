/**
 * The gateway over the fake services, listening on a real port (127.0.0.1, ephemeral), called
 * with fetch or raw sockets exactly as a client would.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/app.js';
import { createMemoryApiKeyStore } from '../../src/auth/api-key-store.js';
import { createFakeServices, type FakeServices } from './fake-services.js';
import { keyOf, SEED } from './test-app.js';

export interface LiveApp {
  readonly app: FastifyInstance;
  readonly services: FakeServices;
  readonly url: string;
  readonly port: number;
  /** One HTTP call as the institution (undefined: no key); JSON body. */
  call(institutionId: string | undefined, path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startLiveApp(overrides: Partial<AppOptions> = {}, services: FakeServices = createFakeServices(SEED), port = 0): Promise<LiveApp> {
  const apiKeys = overrides.apiKeys ?? createMemoryApiKeyStore(SEED.map((i) => ({ apiKey: keyOf(i.id), institutionId: i.id, roles: i.roles })));
  const app = await buildApp({ services, defaultMetrics: false, docs: false, ...overrides, apiKeys });
  await app.listen({ port, host: '127.0.0.1' });
  const address = app.server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : 0;
  const url = `http://127.0.0.1:${bound}`;
  return {
    app,
    services,
    url,
    port: bound,
    async call(institutionId, path, init = {}) {
      const headers: Record<string, string> = { ...(init.headers ?? {}) };
      if (institutionId !== undefined) headers['authorization'] = `Bearer ${keyOf(institutionId)}`;
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${url}${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers,
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    close: () => app.close(),
  };
}
