import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { withErrors } from '../schemas/common.js';
import { ReceiptParams, RecordedReceipt, VerifyBody, VerifyResult } from '../schemas/provenance.js';
import { callerOf, type RouteOptions } from './route-helpers.js';

const tags = ['provenance'];

/** /v1/provenance: verify a report against its receipt; read a recorded receipt. */
const provenanceRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.post(
    '/provenance/verify',
    { config: { roles: 'member' }, schema: { tags, summary: 'Verify a report and its receipt', body: VerifyBody, response: withErrors({ 200: VerifyResult }) } },
    async (request) => services.verifyProvenance(callerOf(request), request.body),
  );

  app.get(
    '/provenance/:receiptId',
    { config: { roles: 'member' }, schema: { tags, summary: 'A receipt as recorded, with block and txId', params: ReceiptParams, response: withErrors({ 200: RecordedReceipt }) } },
    async (request) => services.getReceipt(callerOf(request), request.params.receiptId),
  );
};

export default provenanceRoutes;
