/**
 * Prometheus metrics at GET /metrics: request counts and durations per route and status,
 * plus the process's default metrics, in a registry owned by this app instance.
 */
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsPluginOptions {
  /** Also export Node's default process metrics. */
  readonly defaultMetrics: boolean;
}

const metricsPlugin: FastifyPluginAsync<MetricsPluginOptions> = async (app, options) => {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'xinlian_gateway_' });
  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({
    name: 'xinlian_gateway_http_requests_total',
    help: 'HTTP requests handled, by method, route template and status code',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'xinlian_gateway_http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route template and status code',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status_code: String(reply.statusCode),
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { description: 'Prometheus metrics (text exposition format)', tags: ['operations'] }, logLevel: 'warn' }, async (_request, reply) => {
    const text = await registry.metrics();
    return reply.type(registry.contentType).send(text);
  });
};

/** Registers request metrics and the GET /metrics route. */
export default fp(metricsPlugin, { name: 'xinlian-metrics', fastify: '5.x' });
