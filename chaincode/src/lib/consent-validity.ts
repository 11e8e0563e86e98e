import { ErrorCode, ccError } from '../errors.js';
import type { Consent } from '../records.js';
import type { Tx } from './tx.js';

/** What a consent must cover to be used. */
export interface ConsentUse {
  grantee: string;
  /** Omit to skip the product check (the caller checks products itself). */
  productId?: string;
  purpose: string;
  /** Time of use, ms since the epoch. */
  atMs: number;
  /** When given, the consent must be about this subject. */
  subjectToken?: string;
}

/**
 * Checks that a consent allows a use.
 * @throws CC_CONSENT_REVOKED, CC_CONSENT_NOT_YET_VALID, CC_CONSENT_EXPIRED,
 *   CC_CONSENT_GRANTEE_MISMATCH, CC_CONSENT_PRODUCT_MISMATCH, CC_CONSENT_PURPOSE_MISMATCH,
 *   CC_CONSENT_SUBJECT_MISMATCH
 */
export function assertConsentAllows(consent: Consent, use: ConsentUse): void {
  const id = consent.consentId;
  if (consent.status === 'revoked' && (consent.revokedAt === undefined || Date.parse(consent.revokedAt) <= use.atMs)) {
    throw ccError(ErrorCode.CONSENT_REVOKED, `consent ${id} was revoked at ${consent.revokedAt ?? 'an unknown time'}`);
  }
  if (use.atMs < Date.parse(consent.issuedAt)) {
    throw ccError(ErrorCode.CONSENT_NOT_YET_VALID, `consent ${id} is issued at ${consent.issuedAt}`);
  }
  if (use.atMs >= Date.parse(consent.validUntil)) {
    throw ccError(ErrorCode.CONSENT_EXPIRED, `consent ${id} expired at ${consent.validUntil}`);
  }
  if (use.subjectToken !== undefined && consent.subjectToken !== use.subjectToken) {
    throw ccError(ErrorCode.CONSENT_SUBJECT_MISMATCH, `consent ${id} is about another subject`);
  }
  if (consent.grantee !== use.grantee) {
    throw ccError(ErrorCode.CONSENT_GRANTEE_MISMATCH, `consent ${id} is granted to ${consent.grantee}, not ${use.grantee}`);
  }
  if (use.productId !== undefined && !consent.products.includes(use.productId)) {
    throw ccError(ErrorCode.CONSENT_PRODUCT_MISMATCH, `consent ${id} does not cover product ${use.productId}`);
  }
  if (consent.purpose !== use.purpose) {
    throw ccError(ErrorCode.CONSENT_PURPOSE_MISMATCH, `consent ${id} is for ${consent.purpose}, not ${use.purpose}`);
  }
}

/** Reads a consent and checks it allows the use. @throws CC_CONSENT_NOT_FOUND and the codes of {@link assertConsentAllows} */
export async function requireConsent(tx: Tx, consentId: string, use: ConsentUse): Promise<Consent> {
  const consent = await tx.mustRecord<Consent>('consent', consentId, ErrorCode.CONSENT_NOT_FOUND);
  assertConsentAllows(consent, use);
  return consent;
}
