/** Builds the gateway over the fake services with one API key per seeded institution. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOptions } from '../../src/app.js';
import { createMemoryApiKeyStore } from '../../src/auth/api-key-store.js';
import { createFakeServices, newInstitution, type FakeServices } from './fake-services.js';

export const SEED = [
  newInstitution('reg-1', ['regulator']),
  newInstitution('op-1', ['operator']),
  newInstitution('prov-1', ['provider']),
  newInstitution('ml-1', ['microlender']),
  newInstitution('ml-2', ['microlender']),
  newInstitution('gua-1', ['guarantor']),
  newInstitution('ex-1', ['exchange']),
  newInstitution('susp-1', ['microlender'], 'suspended'),
];

/** Valid USCCs (GB 32100-2015 check characters). */
export const USCC = ['91350100M000100Y43', '91440300708461136T'] as const;
export const SIGNATURE = `0x${'1b'.repeat(65)}`;
export const ADDRESS = `0x${'a1'.repeat(20)}`;

export const keyOf = (institutionId: string) => `test-key-${institutionId}-0123456789abcdef`;

export interface TestApp {
  readonly app: FastifyInstance;
  readonly services: FakeServices;
  /** inject as the given institution (undefined = no key). */
  as(institutionId: string | undefined, options: InjectOptions): Promise<LightMyRequestResponse>;
}

export async function buildTestApp(overrides: Partial<AppOptions> = {}): Promise<TestApp> {
  const services = createFakeServices(SEED);
  const apiKeys = createMemoryApiKeyStore(SEED.map((i) => ({ apiKey: keyOf(i.id), institutionId: i.id, roles: i.roles })));
  const app = await buildApp({ services, apiKeys, defaultMetrics: false, ...overrides });
  return {
    app,
    services,
    as: (institutionId, options) =>
      app.inject({
        ...options,
        headers: { ...(options.headers ?? {}), ...(institutionId ? { authorization: `Bearer ${keyOf(institutionId)}` } : {}) },
      }),
  };
}

/** Asserts the whole public error shape of a response. */
export function errorOf(res: LightMyRequestResponse): { status: number; code: string; message: string; rule?: string } {
  const body = res.json() as { error: { code: string; message: string; rule?: string } };
  return { status: res.statusCode, code: body.error.code, message: body.error.message, ...(body.error.rule ? { rule: body.error.rule } : {}) };
}
