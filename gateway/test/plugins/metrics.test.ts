import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

describe('Prometheus metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ defaultMetrics: true });
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('counts requests by method, route template and status', async () => {
    await t.as('ml-1', { method: 'GET', url: '/v1/catalog' });
    await t.as('ml-1', { method: 'GET', url: '/v1/catalog' });
    await t.as(undefined, { method: 'GET', url: '/v1/catalog' });
    await t.as('ml-1', { method: 'GET', url: '/v1/contracts/nope' });
    const res = await t.as(undefined, { method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(text).toContain('xinlian_gateway_http_requests_total{method="GET",route="/v1/catalog",status_code="200"} 2');
    expect(text).toContain('xinlian_gateway_http_requests_total{method="GET",route="/v1/catalog",status_code="401"} 1');
    expect(text).toContain('xinlian_gateway_http_requests_total{method="GET",route="/v1/contracts/:id",status_code="404"} 1');
    expect(text).toContain('xinlian_gateway_http_request_duration_seconds_bucket');
    expect(text).toContain('xinlian_gateway_process_cpu_user_seconds_total');
  });
});
