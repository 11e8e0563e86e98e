import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { PRODUCT_KINDS } from '../constants.js';
import { ErrorCode, ccError } from '../errors.js';
import { requireRole } from '../lib/caller.js';
import { CONTRACT_BY_PRODUCT, INDEX } from '../lib/keys.js';
import { productView, requireActiveProduct } from '../lib/product-status.js';
import { guardedRead, guardedWrite } from '../lib/run.js';
import type { Tx } from '../lib/tx.js';
import type { Institution, Product, UsageContract } from '../records.js';
import * as v from '../validate.js';
import { contractAt } from './usage-contracts.js';

/** Data products: publication by providers, versions, delisting, exchange listing. */
@Info({ title: 'products', description: 'data products and their listings' })
export class ProductsContract extends Contract {
  constructor() {
    super('products');
  }

  /** Provider publishes a product. */
  @Transaction()
  @Returns('string')
  async Publish(ctx: Context, product: string): Promise<string> {
    return guardedWrite(ctx, 'products:Publish', async (tx, caller) => {
      const o = v.parseObject('product', product);
      v.onlyKeys('product', o, ['id', 'name', 'kind', 'classification', 'policy', 'outputSchemaHash', 'modelVersion']);
      const policy = o.policy;
      if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
        throw ccError(ErrorCode.BAD_REQUEST, 'policy must be a JSON object');
      }
      const purposes = (policy as Record<string, unknown>).purposes;
      if (purposes !== undefined) v.textList('policy.purposes', purposes);
      const record: Product = {
        id: v.id('id', o.id),
        name: v.text('name', o.name),
        provider: caller.id,
        kind: v.oneOf('kind', o.kind, PRODUCT_KINDS),
        classification: v.int('classification', o.classification, 1, 4) as Product['classification'],
        policy: policy as Record<string, unknown>,
        outputSchemaHash: v.hash('outputSchemaHash', o.outputSchemaHash),
        modelVersion: v.text('modelVersion', o.modelVersion, 64),
        status: 'active',
        publishedAt: tx.nowIso,
        updatedAt: tx.nowIso,
      };
      requireRole(caller, ['provider'], 'products:Publish');
      if (await tx.record('product', record.id)) throw ccError(ErrorCode.CONFLICT, `product ${record.id} exists`);
      tx.put(tx.recordKey('product', record.id), record);
      tx.audit('product_published', caller.id, { productId: record.id, kind: record.kind });
      return record;
    });
  }

  /** The product's provider sets a new model version and, unless `outputSchemaHash` is '', a new output schema hash. */
  @Transaction()
  @Returns('string')
  async UpdateVersion(ctx: Context, id: string, modelVersion: string, outputSchemaHash: string): Promise<string> {
    return guardedWrite(ctx, 'products:UpdateVersion', async (tx, caller) => {
      const version = v.text('modelVersion', modelVersion, 64);
      const schemaHash = outputSchemaHash === '' ? undefined : v.hash('outputSchemaHash', outputSchemaHash);
      const product = await ownActiveProduct(tx, caller, v.id('id', id));
      const updated: Product = { ...product, modelVersion: version, ...(schemaHash !== undefined ? { outputSchemaHash: schemaHash } : {}), updatedAt: tx.nowIso };
      tx.put(tx.recordKey('product', product.id), updated);
      tx.audit('product_updated', caller.id, { productId: product.id, modelVersion: version, outputSchemaHash: updated.outputSchemaHash });
      return updated;
    });
  }

  /**
   * The product's provider delists it; its contracts still active end with it (terminated,
   * reason `product delisted`), so no release or check runs under them again.
   */
  @Transaction()
  @Returns('string')
  async Delist(ctx: Context, id: string): Promise<string> {
    return guardedWrite(ctx, 'products:Delist', async (tx, caller) => {
      const product = await ownActiveProduct(tx, caller, v.id('id', id));
      const updated: Product = { ...product, status: 'delisted', updatedAt: tx.nowIso };
      tx.put(tx.recordKey('product', product.id), updated);
      const ended: UsageContract[] = [];
      for (const { value: ref } of await tx.byPartialKey<{ contractId: string }>(CONTRACT_BY_PRODUCT, [product.id])) {
        const contract = await tx.record<UsageContract>('contract', ref.contractId);
        if (!contract || contractAt(contract, tx.nowMs).status !== 'active') continue;
        const terminated: UsageContract = { ...contract, status: 'terminated', terminatedAt: tx.nowIso, terminatedBy: caller.id, terminationReason: 'product delisted' };
        tx.put(tx.recordKey('contract', contract.contractId), terminated);
        ended.push(contract);
      }
      tx.audit(
        'product_delisted',
        caller.id,
        { productId: product.id, contractsEnded: ended.map((c) => c.contractId) },
        { parties: ended.map((c) => c.consumer) },
      );
      return updated;
    });
  }

  /** An exchange lists an active product under a registration certificate number unique across products. */
  @Transaction()
  @Returns('string')
  async ListOnExchange(ctx: Context, id: string, certificateNo: string): Promise<string> {
    return guardedWrite(ctx, 'products:ListOnExchange', async (tx, caller) => {
      const [productId, cert] = [v.id('id', id), v.text('certificateNo', certificateNo, 128)];
      requireRole(caller, ['exchange'], 'products:ListOnExchange');
      const product = await tx.mustRecord<Product>('product', productId);
      await requireActiveProduct(tx, product);
      if (product.listing) throw ccError(ErrorCode.CONFLICT, `product ${productId} is already listed as ${product.listing.certificateNo}`);
      const certKey = tx.key(INDEX.certificate, [cert]);
      const used = await tx.get<{ productId: string }>(certKey);
      if (used) throw ccError(ErrorCode.CONFLICT, `certificate ${cert} is already used by product ${used.productId}`);
      const updated: Product = {
        ...product,
        listing: { exchange: caller.id, certificateNo: cert, listedAt: tx.nowIso },
        updatedAt: tx.nowIso,
      };
      tx.put(certKey, { productId });
      tx.put(tx.recordKey('product', productId), updated);
      tx.audit('product_listed', caller.id, { productId, certificateNo: cert });
      return updated;
    });
  }

  /**
   * The exchange that listed a product withdraws the listing; its certificate number becomes
   * free again. @throws CC_NOT_FOUND; denied with CC_FORBIDDEN, CC_INVALID_STATE (not listed)
   */
  @Transaction()
  @Returns('string')
  async Unlist(ctx: Context, id: string): Promise<string> {
    return guardedWrite(ctx, 'products:Unlist', async (tx, caller) => {
      const productId = v.id('id', id);
      const product = await tx.mustRecord<Product>('product', productId);
      const { listing, ...rest } = product;
      if (!listing) throw ccError(ErrorCode.INVALID_STATE, `product ${productId} is not listed`);
      if (listing.exchange !== caller.id) throw ccError(ErrorCode.FORBIDDEN, `product ${productId} is listed by ${listing.exchange}`);
      const updated: Product = { ...rest, updatedAt: tx.nowIso };
      tx.del(tx.key(INDEX.certificate, [listing.certificateNo]));
      tx.put(tx.recordKey('product', productId), updated);
      tx.audit('product_unlisted', caller.id, { productId, certificateNo: listing.certificateNo, provider: product.provider });
      return updated;
    });
  }

  /** All products, ordered by id; `status: 'suspended'` while the provider is suspended. */
  @Transaction(false)
  @Returns('string')
  async List(ctx: Context): Promise<string> {
    return guardedRead(ctx, async (tx) => {
      const providers = new Map<string, Institution | undefined>();
      const out: Product[] = [];
      for (const { value } of await tx.byPartialKey<Product>('product')) out.push(await productView(tx, value, providers));
      return out;
    });
  }

  /** One product; `status: 'suspended'` while the provider is suspended. @throws CC_NOT_FOUND */
  @Transaction(false)
  @Returns('string')
  async Get(ctx: Context, id: string): Promise<string> {
    return guardedRead(ctx, async (tx) => productView(tx, await tx.mustRecord<Product>('product', v.id('id', id))));
  }
}

async function ownActiveProduct(tx: Tx, caller: Institution, id: string): Promise<Product> {
  const product = await tx.mustRecord<Product>('product', id);
  if (product.provider !== caller.id) throw ccError(ErrorCode.FORBIDDEN, `product ${id} belongs to ${product.provider}`);
  if (product.status !== 'active') throw ccError(ErrorCode.PRODUCT_INACTIVE, `product ${id} is ${product.status}`);
  return product;
}
