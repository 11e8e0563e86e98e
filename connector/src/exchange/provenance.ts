import { isCodedError, receiptTypedData } from '@xinlian/chaincode';
import { verifyTypedData } from 'ethers';
import type { ConsortiumLedger } from '../chain/consortium-ledger.js';
import { outputHashOf, type ReportReceipt } from './report.js';

export interface ProvenanceChecks {
  /** The report hashes to the receipt's `outputHash` and names the same product, subject and model. */
  readonly hash: boolean;
  /** The receipt is signed by the provider's registered signer. */
  readonly signature: boolean;
  /**
   * The ledger holds this very receipt: every documented field present, of the right type,
   * equal to the recorded one, and no other field.
   */
  readonly ledger: boolean;
  /** The ledger holds the contract, for the receipt's provider and product, active when the receipt was recorded. */
  readonly contract: boolean;
  /** The ledger holds the consent, for this consumer, product, purpose and subject, valid when the receipt was recorded. */
  readonly consent: boolean;
}

export interface ProvenanceVerdict {
  readonly valid: boolean;
  readonly checks: ProvenanceChecks;
}

/** Every field of a receipt as its holder gets it, with its JSON type; no other field is accepted. */
export const RECEIPT_FIELDS: Readonly<Record<keyof ReportReceipt, 'string' | 'number'>> = Object.freeze({
  receiptId: 'string',
  contractId: 'string',
  consentId: 'string',
  productId: 'string',
  modelVersion: 'string',
  subjectToken: 'string',
  outputHash: 'string',
  issuedAt: 'number',
  provider: 'string',
  consumer: 'string',
  signature: 'string',
  txId: 'string',
});

/** True when `receipt` has exactly the documented receipt fields, each of its type. */
export function isWellFormedReceipt(receipt: unknown): receipt is ReportReceipt {
  if (typeof receipt !== 'object' || receipt === null || Array.isArray(receipt)) return false;
  const fields = receipt as Record<string, unknown>;
  const keys = Object.keys(fields);
  const expected = Object.keys(RECEIPT_FIELDS) as (keyof ReportReceipt)[];
  return keys.length === expected.length && expected.every((k) => Object.hasOwn(fields, k) && typeof fields[k] === RECEIPT_FIELDS[k]);
}

const NONE: ProvenanceChecks = { hash: false, signature: false, ledger: false, contract: false, consent: false };

/**
 * Verifies a report and its receipt against the ledger: what a guarantor does with a report
 * it was handed. The ledger part is the chaincode's `receipts:Verify` (the receipt as given,
 * field by field, and the contract and consent at the time it was recorded); a receipt with a
 * missing, mistyped or unknown field fails every check. Never throws for a bad report or
 * receipt (the checks say false); throws the ledger's error when the ledger cannot answer
 * (unavailable, the caller suspended, an internal error): only a missing record is "false".
 */
export async function verifyProvenance(
  ledger: ConsortiumLedger,
  report: Readonly<Record<string, unknown>>,
  receipt: ReportReceipt,
): Promise<ProvenanceVerdict> {
  if (!isWellFormedReceipt(receipt)) return { valid: false, checks: NONE };
  let hash = false;
  try {
    hash =
      outputHashOf(report) === receipt.outputHash &&
      report['productId'] === receipt.productId &&
      report['subjectToken'] === receipt.subjectToken &&
      report['modelVersion'] === receipt.modelVersion;
  } catch {
    hash = false; // a report that is not JSON has no hash
  }

  const [provider, onLedger] = await Promise.all([
    orUndefined(ledger.getInstitution(receipt.provider)),
    ledger.verifyReceipt(receipt as unknown as Record<string, unknown>),
  ]);

  let signature = false;
  if (provider) {
    try {
      const typed = receiptTypedData(receipt);
      const signer = verifyTypedData(typed.domain, typed.types, typed.message, receipt.signature);
      signature = signer.toLowerCase() === provider.signerAddress.toLowerCase();
    } catch {
      signature = false; // not a signature at all
    }
  }
  const checks = { hash, signature, ledger: onLedger.ledger, contract: onLedger.contract, consent: onLedger.consent };
  return { valid: Object.values(checks).every(Boolean), checks };
}

/** A ledger read that is "absent" only when the record does not exist (`CC_NOT_FOUND`); any other failure propagates. */
export async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (e) {
    if (isCodedError(e, 'CC_NOT_FOUND')) return undefined;
    throw e;
  }
}
