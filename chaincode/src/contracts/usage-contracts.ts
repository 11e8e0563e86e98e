import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { PURPOSES } from '../constants.js';
import type { UsageContractMessage } from '../eip712.js';
import { ErrorCode, ccError } from '../errors.js';
import { activeInstitution, isRegulator } from '../lib/caller.js';
import { CONTRACT_BY_PRODUCT } from '../lib/keys.js';
import { requireActiveProduct } from '../lib/product-status.js';
import { guardedRead, guardedWrite } from '../lib/run.js';
import { notFound } from '../lib/tx.js';
import { requireSigner } from '../lib/signatures.js';
import type { Product, UsageContract } from '../records.js';
import * as v from '../validate.js';

/** Parses an EIP-712 `UsageContract` message. @throws CC_BAD_REQUEST */
function parseAgreement(text: string): UsageContractMessage {
  const o = v.parseObject('agreement', text);
  v.onlyKeys('agreement', o, ['contractId', 'productId', 'provider', 'consumer', 'purpose', 'validUntil', 'maxUses', 'ratePerMinute', 'policyHash']);
  const m: UsageContractMessage = {
    contractId: v.id('contractId', o.contractId),
    productId: v.id('productId', o.productId),
    provider: v.id('provider', o.provider),
    consumer: v.id('consumer', o.consumer),
    purpose: v.oneOf('purpose', o.purpose, PURPOSES),
    validUntil: v.unixSeconds('validUntil', o.validUntil),
    maxUses: v.int('maxUses', o.maxUses, 0, 0xffffffff),
    ratePerMinute: v.int('ratePerMinute', o.ratePerMinute, 0, 0xffffffff),
    policyHash: v.hash('policyHash', o.policyHash),
  };
  if (m.provider === m.consumer) throw ccError(ErrorCode.BAD_REQUEST, 'provider and consumer must differ');
  return m;
}

/** A contract as read at a time: `expired` once past `validUntil` unless terminated. */
export function contractAt(contract: UsageContract, atMs: number): UsageContract {
  if (contract.status === 'active' && atMs >= Date.parse(contract.validUntil)) return { ...contract, status: 'expired' };
  return contract;
}

/** Usage contracts between a provider and a consumer, signed by both. */
@Info({ title: 'contracts', description: 'data usage contracts' })
export class UsageContractsContract extends Contract {
  constructor() {
    super('contracts');
  }

  /** Records an agreement signed by the provider's and the consumer's signers; caller is either party. */
  @Transaction()
  @Returns('string')
  async Agree(ctx: Context, agreement: string, providerSignature: string, consumerSignature: string): Promise<string> {
    return guardedWrite(ctx, 'contracts:Agree', async (tx, caller) => {
      const m = parseAgreement(agreement);
      const providerSig = v.signature('providerSignature', providerSignature);
      const consumerSig = v.signature('consumerSignature', consumerSignature);
      if (caller.id !== m.provider && caller.id !== m.consumer) {
        throw ccError(ErrorCode.FORBIDDEN, `${caller.id} is not a party to contract ${m.contractId}`);
      }
      if (m.validUntil * 1000 <= tx.nowMs) throw ccError(ErrorCode.CONTRACT_EXPIRED, `contract ${m.contractId} is already expired`);
      if (await tx.record('contract', m.contractId)) throw ccError(ErrorCode.CONFLICT, `contract ${m.contractId} exists`);
      const product = await tx.mustRecord<Product>('product', m.productId);
      await requireActiveProduct(tx, product);
      if (product.provider !== m.provider) throw ccError(ErrorCode.CONTRACT_MISMATCH, `product ${m.productId} is provided by ${product.provider}`);
      const purposes = product.policy.purposes;
      if (Array.isArray(purposes) && !purposes.includes(m.purpose)) {
        throw ccError(ErrorCode.PURPOSE_NOT_ALLOWED, `product ${m.productId} policy does not allow purpose ${m.purpose}`);
      }
      const provider = await activeInstitution(tx, m.provider, 'provider');
      const consumer = await activeInstitution(tx, m.consumer, 'consumer');
      requireSigner('UsageContract', m, providerSig, [provider.signerAddress], `provider ${provider.id}`);
      requireSigner('UsageContract', m, consumerSig, [consumer.signerAddress], `consumer ${consumer.id}`);
      const contract: UsageContract = {
        ...m,
        purpose: m.purpose as UsageContract['purpose'],
        validUntil: v.secondsToIso(m.validUntil),
        providerSignature: providerSig,
        consumerSignature: consumerSig,
        status: 'active',
        agreedAt: tx.nowIso,
        txId: tx.txId,
      };
      tx.put(tx.recordKey('contract', m.contractId), contract);
      tx.put(tx.key(CONTRACT_BY_PRODUCT, [m.productId, m.contractId]), { contractId: m.contractId });
      tx.audit('contract_agreed', caller.id, { contractId: m.contractId, productId: m.productId, provider: m.provider, consumer: m.consumer });
      return contract;
    });
  }

  /** Either party terminates an active contract. */
  @Transaction()
  @Returns('string')
  async Terminate(ctx: Context, contractId: string, reason: string): Promise<string> {
    return guardedWrite(ctx, 'contracts:Terminate', async (tx, caller) => {
      const [id, why] = [v.id('contractId', contractId), v.text('reason', reason, 1024)];
      const stored = await tx.mustRecord<UsageContract>('contract', id);
      if (caller.id !== stored.provider && caller.id !== stored.consumer) {
        throw ccError(ErrorCode.FORBIDDEN, `${caller.id} is not a party to contract ${id}`);
      }
      const current = contractAt(stored, tx.nowMs);
      if (current.status === 'terminated') throw ccError(ErrorCode.CONTRACT_INACTIVE, `contract ${id} was terminated at ${stored.terminatedAt}`);
      if (current.status === 'expired') throw ccError(ErrorCode.CONTRACT_EXPIRED, `contract ${id} expired at ${stored.validUntil}`);
      const terminated: UsageContract = { ...stored, status: 'terminated', terminatedAt: tx.nowIso, terminatedBy: caller.id, terminationReason: why };
      tx.put(tx.recordKey('contract', id), terminated);
      tx.audit('contract_terminated', caller.id, { contractId: id, reason: why, provider: stored.provider, consumer: stored.consumer });
      return terminated;
    });
  }

  /**
   * One contract, `expired` once past `validUntil`, for its provider, its consumer and
   * regulators; anyone else is answered as if it did not exist. @throws CC_NOT_FOUND
   */
  @Transaction(false)
  @Returns('string')
  async Get(ctx: Context, contractId: string): Promise<string> {
    return guardedRead(ctx, async (tx, caller) => {
      const id = v.id('contractId', contractId);
      const stored = await tx.record<UsageContract>('contract', id);
      if (!stored || !(caller.id === stored.provider || caller.id === stored.consumer || isRegulator(caller))) throw notFound('contract', id);
      return contractAt(stored, tx.nowMs);
    });
  }
}
