import { receiptTypedData, type Receipt } from '@xinlian/chaincode';
import { isChaincodeError } from '@xinlian/network';
import { verifyTypedData } from 'ethers';
import type { ConsortiumLedger } from '../chain/consortium-ledger.js';
import { outputHashOf, type ReportReceipt } from './report.js';

export interface ProvenanceChecks {
  /** The report hashes to the receipt's `outputHash` and names the same product, subject and model. */
  readonly hash: boolean;
  /** The receipt is signed by the provider's registered signer. */
  readonly signature: boolean;
  /** The ledger holds this very receipt. */
  readonly ledger: boolean;
  /** The ledger holds the contract, between the same parties for the same product. */
  readonly contract: boolean;
  /** The ledger holds the consent, for this consumer and product, unrevoked when the receipt was issued. */
  readonly consent: boolean;
}

export interface ProvenanceVerdict {
  readonly valid: boolean;
  readonly checks: ProvenanceChecks;
}

/**
 * Verifies a report and its receipt against the ledger: what a guarantor does with a report
 * it was handed. Never throws for a bad report or receipt (the checks say false); throws
 * only when the ledger itself is unreachable (`LEDGER_UNAVAILABLE`).
 */
export async function verifyProvenance(
  ledger: ConsortiumLedger,
  report: Readonly<Record<string, unknown>>,
  receipt: ReportReceipt,
): Promise<ProvenanceVerdict> {
  const hash =
    outputHashOf(report) === receipt.outputHash &&
    report['productId'] === receipt.productId &&
    report['subjectToken'] === receipt.subjectToken &&
    report['modelVersion'] === receipt.modelVersion;

  const [recorded, provider, contract, consent] = await Promise.all([
    orUndefined(ledger.getReceipt(receipt.receiptId)),
    orUndefined(ledger.getInstitution(receipt.provider)),
    orUndefined(ledger.getContract(receipt.contractId)),
    orUndefined(ledger.getConsent(receipt.consentId)),
  ]);

  let signature = false;
  if (provider) {
    try {
      const typed = receiptTypedData(receipt);
      const signer = verifyTypedData(typed.domain, typed.types, typed.message, receipt.signature);
      signature = signer.toLowerCase() === provider.signerAddress.toLowerCase();
    } catch {
      signature = false;
    }
  }
  const onLedger = recorded !== undefined && sameReceipt(recorded, receipt);
  const contractOk =
    contract !== undefined &&
    contract.provider === receipt.provider &&
    contract.consumer === receipt.consumer &&
    contract.productId === receipt.productId;
  const issuedAtMs = receipt.issuedAt * 1000;
  const consentOk =
    consent !== undefined &&
    consent.grantee === receipt.consumer &&
    consent.subjectToken === receipt.subjectToken &&
    consent.products.includes(receipt.productId) &&
    (consent.revokedAt === undefined || Date.parse(consent.revokedAt) > issuedAtMs);

  const checks = { hash, signature, ledger: onLedger, contract: contractOk, consent: consentOk };
  return { valid: Object.values(checks).every(Boolean), checks };
}

function sameReceipt(recorded: Receipt, presented: ReportReceipt): boolean {
  return (
    recorded.outputHash === presented.outputHash &&
    recorded.signature === presented.signature &&
    recorded.contractId === presented.contractId &&
    recorded.consentId === presented.consentId &&
    recorded.provider === presented.provider &&
    recorded.issuedAt === presented.issuedAt
  );
}

/** A ledger read that is "absent" when the record does not exist (or the id is malformed). */
async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (e) {
    if (isChaincodeError(e)) return undefined;
    throw e;
  }
}
