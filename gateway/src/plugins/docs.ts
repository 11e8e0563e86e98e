/**
 * The OpenAPI document (GET /docs/json) generated from the route schemas, and a browsable
 * Swagger UI page at GET /docs. Register before the routes.
 */
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export interface DocsPluginOptions {
  readonly version: string;
}

const docsPlugin: FastifyPluginAsync<DocsPluginOptions> = async (app, options) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'xinlian gateway API',
        description: 'Trusted data space for SME credit: consent, contracts, risk reports, multi-lending checks, provenance and audit.',
        version: options.version,
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key bound to one institution' } },
      },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
};

/** Registers @fastify/swagger and @fastify/swagger-ui. */
export default fp(docsPlugin, { name: 'xinlian-docs', fastify: '5.x' });
