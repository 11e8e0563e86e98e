import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

/** Every path of shared/API.md v1 and the v1.1 endpoints this gateway implements, in OpenAPI's `{param}` form. */
const API_PATHS: Record<string, string[]> = {
  '/healthz': ['get'],
  '/readyz': ['get'],
  '/metrics': ['get'],
  '/v1/institutions': ['get', 'post'],
  '/v1/institutions/{id}/suspension': ['post', 'delete'],
  '/v1/api-keys/rotation': ['post'],
  '/v1/subjects': ['post'],
  '/v1/consents/draft': ['post'],
  '/v1/consents': ['post'],
  '/v1/consents/{id}/revocation/draft': ['post'],
  '/v1/consents/{id}/revocation': ['post'],
  '/v1/consents/{id}': ['get'],
  '/v1/catalog': ['get'],
  '/v1/catalog/{productId}': ['get'],
  '/v1/catalog/products': ['post'],
  '/v1/catalog/{productId}/listing': ['post', 'delete'],
  '/v1/catalog/{productId}/delisting': ['post'],
  '/v1/catalog/{productId}/versions': ['post'],
  '/v1/contracts': ['post'],
  '/v1/contracts/{id}': ['get'],
  '/v1/contracts/{id}/termination': ['post'],
  '/v1/risk-reports': ['post'],
  '/v1/lending-events': ['post'],
  '/v1/multi-lending/check': ['post'],
  '/v1/provenance/verify': ['post'],
  '/v1/provenance/{receiptId}': ['get'],
  '/v1/audit/events': ['get'],
  '/v1/audit/integrity': ['get'],
  '/v1/audit/stats': ['get'],
};

interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { requestBody?: unknown; parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>>;
  components: { securitySchemes: Record<string, unknown> };
}

describe('OpenAPI document and docs page', () => {
  let t: TestApp;
  let doc: OpenApiDoc;
  beforeAll(async () => {
    t = await buildTestApp();
    const res = await t.as(undefined, { method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    doc = res.json();
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('is an OpenAPI 3 document with a bearer security scheme', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toContain('xinlian');
    expect(doc.components.securitySchemes).toHaveProperty('apiKey');
  });

  it('lists every path and method of shared/API.md', () => {
    for (const [path, methods] of Object.entries(API_PATHS)) {
      expect(doc.paths, path).toHaveProperty([path]);
      for (const m of methods) expect(doc.paths[path], `${m} ${path}`).toHaveProperty(m);
    }
  });

  it('documents request bodies, parameters and error responses', () => {
    const draft = doc.paths['/v1/consents/draft']!['post']!;
    expect(JSON.stringify(draft.requestBody)).toContain('"uscc"');
    expect(Object.keys(draft.responses)).toEqual(expect.arrayContaining(['200', '4XX', '5XX']));
    const audit = doc.paths['/v1/audit/events']!['get']!;
    expect(audit.parameters?.map((p) => p.name).sort()).toEqual(['cursor', 'from', 'institution', 'limit', 'order', 'subject', 'to', 'type']);
  });

  it('documents Idempotency-Key on every POST of /v1', () => {
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!path.startsWith('/v1/') || !methods['post']) continue;
      expect(methods['post'].parameters?.map((p) => `${p.in}:${p.name}`), path).toContain('header:idempotency-key');
    }
  });

  it('serves a browsable page at /docs', async () => {
    const res = await t.as(undefined, { method: 'GET', url: '/docs' });
    const page = res.statusCode === 302 ? await t.as(undefined, { method: 'GET', url: res.headers.location as string }) : res;
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('swagger');
  });
});
