import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { withErrors } from '../schemas/common.js';
import { ListingBody, ProductList, ProductParams, ProductView, ProductWithPolicyView, PublishProductBody } from '../schemas/catalog.js';
import { callerOf, type RouteOptions } from './route-helpers.js';

const tags = ['catalog'];

/** /v1/catalog: data products, publication (provider) and exchange listing (exchange). */
const catalogRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.get(
    '/catalog',
    { config: { roles: 'member' }, schema: { tags, summary: 'List data products', response: withErrors({ 200: ProductList }) } },
    async (request) => ({ products: [...(await services.listProducts(callerOf(request)))] }),
  );

  app.get(
    '/catalog/:productId',
    { config: { roles: 'member' }, schema: { tags, summary: 'One data product with its policy', params: ProductParams, response: withErrors({ 200: ProductWithPolicyView }) } },
    async (request) => services.getProduct(callerOf(request), request.params.productId),
  );

  app.post(
    '/catalog/products',
    {
      config: { roles: ['provider'] },
      schema: { tags, summary: 'Publish a data product (provider)', body: PublishProductBody, response: withErrors({ 201: ProductView }) },
    },
    async (request, reply) => reply.status(201).send(await services.publishProduct(callerOf(request), request.body)),
  );

  app.post(
    '/catalog/:productId/listing',
    {
      config: { roles: ['exchange'] },
      schema: {
        tags,
        summary: 'List a product with its registration certificate (exchange); a certificate used for another product is 409',
        params: ProductParams,
        body: ListingBody,
        response: withErrors({ 200: ProductView }),
      },
    },
    async (request) => services.listProductOnExchange(callerOf(request), request.params.productId, request.body.certificateNo),
  );
};

export default catalogRoutes;
