import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { canonicalJson } from '../canonical-json.js';
import type { ReceiptMessage } from '../eip712.js';
import { ErrorCode, ccError, errorCodeOf } from '../errors.js';
import { assertConsentAllows, requireConsent } from '../lib/consent-validity.js';
import { requireActiveProduct } from '../lib/product-status.js';
import { guardedRead, guardedWrite } from '../lib/run.js';
import { requireSigner } from '../lib/signatures.js';
import type { Consent, Product, Receipt, UsageContract } from '../records.js';
import * as v from '../validate.js';
import { contractAt } from './usage-contracts.js';

const SIGNED_FIELDS = ['receiptId', 'contractId', 'consentId', 'productId', 'modelVersion', 'subjectToken', 'outputHash', 'issuedAt'] as const;

/** Parses a receipt argument (EIP-712 `Receipt` + `signature`). @throws CC_BAD_REQUEST */
function parseReceipt(text: string): { message: ReceiptMessage; signature: string } {
  const o = v.parseObject('receipt', text);
  v.onlyKeys('receipt', o, [...SIGNED_FIELDS, 'signature']);
  return {
    message: {
      receiptId: v.id('receiptId', o.receiptId),
      contractId: v.id('contractId', o.contractId),
      consentId: v.id('consentId', o.consentId),
      productId: v.id('productId', o.productId),
      modelVersion: v.text('modelVersion', o.modelVersion, 64),
      subjectToken: v.subjectToken('subjectToken', o.subjectToken),
      outputHash: v.hash('outputHash', o.outputHash),
      issuedAt: v.unixSeconds('issuedAt', o.issuedAt),
    },
    signature: v.signature('signature', o.signature),
  };
}

/** The signed part of a stored receipt, for comparing a resubmission. */
function signedPart(r: ReceiptMessage & { signature: string }): string {
  const out: Record<string, unknown> = { signature: r.signature };
  for (const f of SIGNED_FIELDS) out[f] = r[f];
  return canonicalJson(out);
}

/** Provenance receipts: one per output a provider releases. */
@Info({ title: 'receipts', description: 'provenance receipts' })
export class ReceiptsContract extends Contract {
  constructor() {
    super('receipts');
  }

  /**
   * The product's provider records a receipt. Checks the contract is active, the consent
   * allows the contract's consumer, product and purpose at the tx time, and the provider's
   * signature. The same receipt again returns the first; a different one under the same id
   * is refused with CC_CONFLICT.
   */
  @Transaction()
  @Returns('string')
  async Record(ctx: Context, receipt: string): Promise<string> {
    return guardedWrite(ctx, 'receipts:Record', async (tx, caller) => {
      const { message: m, signature } = parseReceipt(receipt);
      const existing = await tx.record<Receipt>('receipt', m.receiptId);
      if (existing) {
        if (signedPart(existing) === signedPart({ ...m, signature })) return existing;
        throw ccError(ErrorCode.CONFLICT, `receipt ${m.receiptId} exists with different content`);
      }
      const product = await tx.mustRecord<Product>('product', m.productId);
      if (product.provider !== caller.id) throw ccError(ErrorCode.FORBIDDEN, `product ${m.productId} is provided by ${product.provider}`);
      await requireActiveProduct(tx, product);
      const contract = contractAt(await tx.mustRecord<UsageContract>('contract', m.contractId), tx.nowMs);
      if (contract.status === 'terminated') throw ccError(ErrorCode.CONTRACT_INACTIVE, `contract ${contract.contractId} was terminated`);
      if (contract.status === 'expired') throw ccError(ErrorCode.CONTRACT_EXPIRED, `contract ${contract.contractId} expired at ${contract.validUntil}`);
      if (contract.productId !== m.productId || contract.provider !== caller.id) {
        throw ccError(ErrorCode.CONTRACT_MISMATCH, `contract ${contract.contractId} is not for product ${m.productId} from ${caller.id}`);
      }
      await requireConsent(tx, m.consentId, {
        grantee: contract.consumer,
        productId: m.productId,
        purpose: contract.purpose,
        atMs: tx.nowMs,
        subjectToken: m.subjectToken,
      });
      requireSigner('Receipt', m, signature, [caller.signerAddress], `provider ${caller.id}`);
      const record: Receipt = {
        ...m,
        signature,
        provider: caller.id,
        consumer: contract.consumer,
        recordedAt: tx.nowIso,
        txId: tx.txId,
      };
      tx.put(tx.recordKey('receipt', m.receiptId), record);
      tx.audit('receipt_recorded', caller.id, {
        receiptId: m.receiptId,
        contractId: m.contractId,
        consentId: m.consentId,
        productId: m.productId,
        consumer: contract.consumer,
        subjectToken: m.subjectToken,
      });
      return record;
    });
  }

  /** One receipt with the id of the transaction that recorded it. @throws CC_NOT_FOUND */
  @Transaction(false)
  @Returns('string')
  async Get(ctx: Context, receiptId: string): Promise<string> {
    return guardedRead(ctx, async (tx) => tx.mustRecord<Receipt>('receipt', v.id('receiptId', receiptId)));
  }

  /**
   * Checks a receipt as its holder got it against the ledger, answering
   * `{ ledger, contract, consent }` and never the contract or consent themselves:
   * - `ledger`: a receipt with that `receiptId` is recorded, every field of the submitted one
   *   equals the recorded field, and it has no field the recorded one lacks;
   * - `contract`: the recorded receipt's contract exists, names its provider and product, and
   *   was active when the receipt was recorded;
   * - `consent`: its consent allowed the contract's consumer, product, purpose and subject
   *   when the receipt was recorded (a later revocation does not matter).
   * An unknown `receiptId` answers all false. @throws CC_BAD_REQUEST when not a JSON object
   */
  @Transaction(false)
  @Returns('string')
  async Verify(ctx: Context, receipt: string): Promise<string> {
    return guardedRead(ctx, async (tx) => {
      const submitted = v.parseObject('receipt', receipt);
      const none = { ledger: false, contract: false, consent: false };
      const id = submitted.receiptId;
      if (typeof id !== 'string' || !v.ID_PATTERN.test(id)) return none;
      const recorded = await tx.record<Receipt>('receipt', id);
      if (!recorded) return none;
      const fields = recorded as unknown as Record<string, unknown>;
      // A field the record lacks compares as unequal (undefined is not JSON).
      const ledger = Object.keys(submitted).every((k) => sameJson(submitted[k], Object.hasOwn(fields, k) ? fields[k] : undefined));
      const atMs = Date.parse(recorded.recordedAt);
      const stored = await tx.record<UsageContract>('contract', recorded.contractId);
      const contract =
        stored !== undefined &&
        stored.provider === recorded.provider &&
        stored.productId === recorded.productId &&
        Date.parse(stored.agreedAt) <= atMs &&
        atMs < Date.parse(stored.validUntil) &&
        (stored.terminatedAt === undefined || atMs < Date.parse(stored.terminatedAt));
      let consent = false;
      const found = stored && (await tx.record<Consent>('consent', recorded.consentId));
      if (stored && found) {
        try {
          assertConsentAllows(found, { grantee: stored.consumer, productId: recorded.productId, purpose: stored.purpose, atMs, subjectToken: recorded.subjectToken });
          consent = true;
        } catch (e) {
          if (errorCodeOf(e) === undefined) throw e;
        }
      }
      return { ledger, contract, consent };
    });
  }
}

/** Deep equality of JSON values (canonical text; anything JSON cannot carry is unequal). */
function sameJson(a: unknown, b: unknown): boolean {
  try {
    return canonicalJson(a) === canonicalJson(b);
  } catch {
    return false;
  }
}
