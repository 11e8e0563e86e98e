import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EmptyBody, withErrors } from '../schemas/common.js';
import { ListingBody, ProductList, ProductParams, ProductView, ProductWithPolicyView, PublishProductBody, VersionBody } from '../schemas/catalog.js';
import { callerOf, defaultEmptyBody, type RouteOptions } from './route-helpers.js';

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

  app.delete(
    '/catalog/:productId/listing',
    {
      config: { roles: ['exchange'] },
      schema: { tags, summary: 'Withdraw the listing (the listing exchange); the certificate number is free again', params: ProductParams, response: withErrors({ 200: ProductView }) },
    },
    async (request) => services.unlistProduct(callerOf(request), request.params.productId),
  );

  app.post(
    '/catalog/:productId/delisting',
    {
      config: { roles: ['provider'] },
      preValidation: defaultEmptyBody,
      schema: {
        tags,
        summary: 'Delist the product (its provider): no new contracts, the existing ones end',
        params: ProductParams,
        body: EmptyBody,
        response: withErrors({ 200: ProductView }),
      },
    },
    async (request) => services.delistProduct(callerOf(request), request.params.productId),
  );

  app.post(
    '/catalog/:productId/versions',
    {
      config: { roles: ['provider'] },
      schema: {
        tags,
        summary: 'A new model version, and maybe a new output schema (its provider); every later output carries it',
        params: ProductParams,
        body: VersionBody,
        response: withErrors({ 200: ProductView }),
      },
    },
    async (request) => services.updateProductVersion(callerOf(request), request.params.productId, request.body),
  );
};

export default catalogRoutes;
