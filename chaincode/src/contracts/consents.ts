import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { PURPOSES } from '../constants.js';
import type { ConsentMessage } from '../eip712.js';
import { ErrorCode, ccError, errorCodeOf } from '../errors.js';
import { activeInstitution, isRegulator } from '../lib/caller.js';
import { assertConsentAllows } from '../lib/consent-validity.js';
import { requireActiveProduct } from '../lib/product-status.js';
import { guardedRead, guardedWrite } from '../lib/run.js';
import { notFound, type Tx } from '../lib/tx.js';
import { requireSigner } from '../lib/signatures.js';
import type { Consent, Institution, Product, Subject } from '../records.js';
import * as v from '../validate.js';

/** Parses an EIP-712 `Consent` message. @throws CC_BAD_REQUEST */
function parseConsentMessage(text: string): ConsentMessage {
  const o = v.parseObject('message', text);
  v.onlyKeys('message', o, ['consentId', 'subjectToken', 'grantee', 'products', 'purpose', 'validUntil', 'issuedAt']);
  const m: ConsentMessage = {
    consentId: v.id('consentId', o.consentId),
    subjectToken: v.subjectToken('subjectToken', o.subjectToken),
    grantee: v.id('grantee', o.grantee),
    products: v.idList('products', o.products),
    purpose: v.oneOf('purpose', o.purpose, PURPOSES),
    validUntil: v.unixSeconds('validUntil', o.validUntil),
    issuedAt: v.unixSeconds('issuedAt', o.issuedAt),
  };
  if (m.issuedAt >= m.validUntil) throw ccError(ErrorCode.BAD_REQUEST, 'issuedAt must be before validUntil');
  return m;
}

/** Whether a recorded consent was granted with exactly this message (a retried grant). */
function sameConsent(c: Consent, m: ConsentMessage): boolean {
  return (
    c.subjectToken === m.subjectToken &&
    c.grantee === m.grantee &&
    c.purpose === m.purpose &&
    c.validUntil === v.secondsToIso(m.validUntil) &&
    c.issuedAt === v.secondsToIso(m.issuedAt) &&
    c.products.length === m.products.length &&
    c.products.every((p, i) => p === m.products[i])
  );
}

/** Consents: EIP-712 consents signed by the enterprise, revocation, validity checks. */
@Info({ title: 'consents', description: 'enterprise consents' })
export class ConsentsContract extends Contract {
  constructor() {
    super('consents');
  }

  /**
   * Records a consent signed by a registered signer of the subject. The same grant again (same
   * caller, message and signature) records nothing and answers the recorded consent (its first
   * `txId`); another message under a used consentId is `CC_CONFLICT`.
   */
  @Transaction()
  @Returns('string')
  async Grant(ctx: Context, message: string, signature: string): Promise<string> {
    return guardedWrite(ctx, 'consents:Grant', async (tx, caller) => {
      const m = parseConsentMessage(message);
      const sig = v.signature('signature', signature);
      // decided before the other checks: a retry answers the first result even after the consent expired
      const recorded = await tx.record<Consent>('consent', m.consentId);
      if (recorded) {
        if (caller.id === recorded.grantedBy && sig === recorded.signature && sameConsent(recorded, m)) return recorded;
        throw ccError(ErrorCode.CONFLICT, `consent ${m.consentId} exists`);
      }
      if (m.validUntil * 1000 <= tx.nowMs) throw ccError(ErrorCode.CONSENT_EXPIRED, `consent ${m.consentId} is already expired`);
      const subject = await tx.mustRecord<Subject>('subject', m.subjectToken);
      await activeInstitution(tx, m.grantee, 'grantee');
      for (const productId of m.products) await requireActiveProduct(tx, await tx.mustRecord<Product>('product', productId));
      const signer = requireSigner('Consent', m, sig, subject.signers, 'a registered signer of the subject');
      const consent: Consent = {
        consentId: m.consentId,
        subjectToken: m.subjectToken,
        grantee: m.grantee,
        products: m.products,
        purpose: m.purpose as Consent['purpose'],
        validUntil: v.secondsToIso(m.validUntil),
        issuedAt: v.secondsToIso(m.issuedAt),
        signer,
        signature: sig,
        status: 'active',
        grantedAt: tx.nowIso,
        grantedBy: caller.id,
        txId: tx.txId,
      };
      tx.put(tx.recordKey('consent', m.consentId), consent);
      tx.audit('consent_granted', caller.id, { consentId: m.consentId, grantee: m.grantee, purpose: m.purpose, subjectToken: m.subjectToken });
      return consent;
    });
  }

  /** Revokes a consent with a `ConsentRevocation` signed by a current signer of the subject. */
  @Transaction()
  @Returns('string')
  async Revoke(ctx: Context, consentId: string, signature: string): Promise<string> {
    return guardedWrite(ctx, 'consents:Revoke', async (tx, caller) => {
      const [id, sig] = [v.id('consentId', consentId), v.signature('signature', signature)];
      const consent = await tx.mustRecord<Consent>('consent', id, ErrorCode.CONSENT_NOT_FOUND);
      if (consent.status === 'revoked') throw ccError(ErrorCode.CONSENT_REVOKED, `consent ${id} was revoked at ${consent.revokedAt}`);
      const subject = await tx.mustRecord<Subject>('subject', consent.subjectToken);
      const message = { consentId: id, subjectToken: consent.subjectToken };
      requireSigner('ConsentRevocation', message, sig, subject.signers, 'a registered signer of the subject');
      const revoked: Consent = { ...consent, status: 'revoked', revokedAt: tx.nowIso, revokedBy: caller.id };
      tx.put(tx.recordKey('consent', id), revoked);
      tx.audit('consent_revoked', caller.id, { consentId: id, grantee: consent.grantee, subjectToken: consent.subjectToken });
      return revoked;
    });
  }

  /**
   * One consent, for its grantee, the providers of the products it covers and regulators;
   * anyone else is answered as if it did not exist. @throws CC_NOT_FOUND
   */
  @Transaction(false)
  @Returns('string')
  async Get(ctx: Context, consentId: string): Promise<string> {
    return guardedRead(ctx, async (tx, caller) => {
      const id = v.id('consentId', consentId);
      const consent = await readableConsent(tx, caller, id);
      if (!consent) throw notFound('consent', id);
      return consent;
    });
  }

  /**
   * Whether a consent allows a use at a time: `{ valid: true }` or `{ valid: false, code }`;
   * `CC_PRODUCT_INACTIVE` when the product is delisted or its provider suspended. Answers
   * `CC_CONSENT_NOT_FOUND` to a caller the consent is not for (as {@link Get}).
   */
  @Transaction(false)
  @Returns('string')
  async Check(ctx: Context, consentId: string, grantee: string, productId: string, purpose: string, atIso: string): Promise<string> {
    return guardedRead(ctx, async (tx, caller) => {
      const id = v.id('consentId', consentId);
      const use = {
        grantee: v.id('grantee', grantee),
        productId: v.id('productId', productId),
        purpose: v.oneOf('purpose', purpose, PURPOSES),
        atMs: Date.parse(v.isoTime('atIso', atIso)),
      };
      const consent = await readableConsent(tx, caller, id);
      if (!consent) return { valid: false, code: ErrorCode.CONSENT_NOT_FOUND };
      try {
        assertConsentAllows(consent, use);
        const product = await tx.record<Product>('product', use.productId);
        if (product) await requireActiveProduct(tx, product);
        return { valid: true };
      } catch (e) {
        const code = errorCodeOf(e);
        if (code === undefined) throw e;
        return { valid: false, code };
      }
    });
  }
}

/** The consent if the caller may read it (grantee, provider of a covered product, regulator), else undefined as if absent. */
async function readableConsent(tx: Tx, caller: Institution, id: string): Promise<Consent | undefined> {
  const consent = await tx.record<Consent>('consent', id);
  if (!consent) return undefined;
  if (consent.grantee === caller.id || isRegulator(caller)) return consent;
  for (const productId of consent.products) {
    const product = await tx.record<Product>('product', productId);
    if (product?.provider === caller.id) return consent;
  }
  return undefined;
}
