import { Type } from 'typebox';
import { closed, Id, JsonObject, open } from './common.js';
import { PRODUCT_KINDS } from '../services.js';

export const ProductKind = Type.Enum(PRODUCT_KINDS);

export const Listing = open({ exchange: Type.String(), certificateNo: Type.String(), listedAt: Type.String() });

const productFields = {
  id: Type.String(),
  provider: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  classification: Type.Integer(),
  modelVersion: Type.String(),
  status: Type.String(),
  listing: Type.Optional(Listing),
};

export const ProductView = open(productFields);
export const ProductWithPolicyView = open({ ...productFields, policy: JsonObject });
export const ProductList = open({ products: Type.Array(ProductView) });

export const ProductParams = closed({ productId: Id });

export const PublishProductBody = closed({
  id: Id,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  kind: ProductKind,
  classification: Type.Integer({ minimum: 1, maximum: 4 }),
  policy: JsonObject,
  modelVersion: Type.String({ minLength: 1, maxLength: 64 }),
  outputSchema: JsonObject,
});

export const VersionBody = closed({
  modelVersion: Type.String({ minLength: 1, maxLength: 64 }),
  outputSchema: Type.Optional(JsonObject),
});

export const ListingBody = closed({
  certificateNo: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$' }),
});
