import { ErrorCode, ccError } from '../errors.js';
import type { Consent, Institution, Product } from '../records.js';
import type { Tx } from './tx.js';

/**
 * A product's status as everyone sees it: `delisted` when delisted, else `suspended` while
 * its provider is suspended (the stored status is unchanged, so reinstatement restores it),
 * else `active`. `providers` caches provider reads within one transaction.
 */
export async function productStatus(tx: Tx, product: Product, providers = new Map<string, Institution | undefined>()): Promise<Product['status']> {
  if (product.status !== 'active') return product.status;
  if (!providers.has(product.provider)) providers.set(product.provider, await tx.record<Institution>('institution', product.provider));
  const provider = providers.get(product.provider);
  return provider && provider.status !== 'active' ? 'suspended' : 'active';
}

/** The product as read: with its {@link productStatus}. */
export async function productView(tx: Tx, product: Product, providers?: Map<string, Institution | undefined>): Promise<Product> {
  const status = await productStatus(tx, product, providers);
  return status === product.status ? product : { ...product, status };
}

/** @throws CC_PRODUCT_INACTIVE unless the product is active and its provider is not suspended. */
export async function requireActiveProduct(tx: Tx, product: Product): Promise<void> {
  const status = await productStatus(tx, product);
  if (status === 'suspended') throw ccError(ErrorCode.PRODUCT_INACTIVE, `product ${product.id}'s provider ${product.provider} is suspended`);
  if (status !== 'active') throw ccError(ErrorCode.PRODUCT_INACTIVE, `product ${product.id} is ${status}`);
}

/**
 * The first active product of `kind` the consent covers.
 * @throws CC_PRODUCT_INACTIVE when it covers one of that kind but none is active;
 *   CC_CONSENT_PRODUCT_MISMATCH when it covers none of that kind.
 */
export async function consentProductOfKind(tx: Tx, consent: Consent, kind: Product['kind']): Promise<Product> {
  let inactive: Product | undefined;
  for (const p of consent.products) {
    const product = await tx.record<Product>('product', p);
    if (!product || product.kind !== kind) continue;
    if ((await productStatus(tx, product)) === 'active') return product;
    inactive ??= product;
  }
  if (inactive) await requireActiveProduct(tx, inactive);
  throw ccError(ErrorCode.CONSENT_PRODUCT_MISMATCH, `consent ${consent.consentId} covers no ${kind} product`);
}
