import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { LENDER_ROLES } from '../constants.js';
import { ErrorCode, ccError } from '../errors.js';
import { isRegulator, requireRole } from '../lib/caller.js';
import { assertConsentAllows } from '../lib/consent-validity.js';
import { consentProductOfKind } from '../lib/product-status.js';
import { guardedRead, guardedWrite } from '../lib/run.js';
import { notFound } from '../lib/tx.js';
import type { Consent } from '../records.js';
import * as v from '../validate.js';

/** A recorded fraud-ring check request (record kind `ringcheck`). */
export interface RingCheckRequest {
  readonly checkId: string;
  readonly requester: string;
  readonly subjectToken: string;
  readonly consentId: string;
  /** The `ring` product the consent covers, and its provider (who answers the check). */
  readonly productId: string;
  readonly provider: string;
  readonly purpose: string;
  readonly requestedAt: string;
  readonly txId: string;
}

/**
 * Fraud-ring checks. The ring detection runs in the provider's connector, where the
 * attributes live; the ledger records each check (consent verified, audit type
 * `fraudring_checked`, indexed under the subject) and lets the provider read the request
 * it is asked to answer, so it answers only recorded checks of the requester.
 */
@Info({ title: 'fraud-rings', description: 'fraud-ring checks' })
export class FraudRingsContract extends Contract {
  constructor() {
    super('fraud-rings');
  }

  /**
   * Records a fraud-ring check request; needs a valid consent (any purpose) naming the caller,
   * about this subject, covering an active product of kind `ring`. The same request again (same
   * checkId, caller, subject and consent) records nothing and answers the first (`replayed: true`,
   * the first txId), even if the consent has ended since; another request under a used checkId
   * is CC_CONFLICT.
   * @throws CC_BAD_REQUEST; denied with CC_FORBIDDEN, CC_CONFLICT, CC_CONSENT_*, CC_PRODUCT_INACTIVE
   */
  @Transaction()
  @Returns('string')
  async RequestCheck(ctx: Context, checkId: string, subjectToken: string, consentId: string): Promise<string> {
    const id = v.id('checkId', checkId);
    const token = v.subjectToken('subjectToken', subjectToken);
    const consentRef = v.id('consentId', consentId);
    return guardedWrite(ctx, 'fraud-rings:RequestCheck', async (tx, caller) => {
      requireRole(caller, LENDER_ROLES, 'fraud-rings:RequestCheck');
      const first = await tx.record<RingCheckRequest>('ringcheck', id);
      if (first) {
        if (first.requester !== caller.id || first.subjectToken !== token || first.consentId !== consentRef) {
          throw ccError(ErrorCode.CONFLICT, `check ${id} exists`);
        }
        return { checkId: id, requestedAt: first.requestedAt, productId: first.productId, provider: first.provider, txId: first.txId, replayed: true };
      }
      const consent = await tx.mustRecord<Consent>('consent', consentRef, ErrorCode.CONSENT_NOT_FOUND);
      assertConsentAllows(consent, { grantee: caller.id, purpose: consent.purpose, atMs: tx.nowMs, subjectToken: token });
      const product = await consentProductOfKind(tx, consent, 'ring');
      const request: RingCheckRequest = {
        checkId: id,
        requester: caller.id,
        subjectToken: token,
        consentId: consentRef,
        productId: product.id,
        provider: product.provider,
        purpose: consent.purpose,
        requestedAt: tx.nowIso,
        txId: tx.txId,
      };
      tx.put(tx.recordKey('ringcheck', id), request);
      tx.audit('fraudring_checked', caller.id, {
        checkId: id,
        consentId: consentRef,
        productId: product.id,
        provider: product.provider,
        purpose: consent.purpose,
        requester: caller.id,
        subjectToken: token,
      });
      return { checkId: id, requestedAt: tx.nowIso, productId: product.id, provider: product.provider, txId: tx.txId, replayed: false };
    });
  }

  /**
   * A recorded check request, for its requester, the provider who answers it and regulators.
   * @throws CC_NOT_FOUND (also to anyone else)
   */
  @Transaction(false)
  @Returns('string')
  async GetCheck(ctx: Context, checkId: string): Promise<string> {
    return guardedRead(ctx, async (tx, caller) => {
      const id = v.id('checkId', checkId);
      const request = await tx.record<RingCheckRequest>('ringcheck', id);
      if (!request || (request.requester !== caller.id && request.provider !== caller.id && !isRegulator(caller))) throw notFound('check', id);
      return request;
    });
  }
}
