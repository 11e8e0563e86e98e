import { canonicalJson } from '@xinlian/chaincode';
import { keccak256, toUtf8Bytes } from 'ethers';
import type { RiskScore } from '../model/index.js';

/** A risk report as it leaves the provider: the model's output, never raw data. */
export interface RiskReport {
  readonly productId: string;
  readonly subjectToken: string;
  readonly score: number;
  readonly grade: string;
  readonly dimensions: Readonly<Record<string, number | string>>;
  readonly reasonCodes: readonly string[];
  readonly modelVersion: string;
  readonly generatedAt: string;
}

/** The receipt that travels with a report (the ledger's record of it, plus `txId`). */
export interface ReportReceipt {
  readonly receiptId: string;
  readonly contractId: string;
  readonly consentId: string;
  readonly productId: string;
  readonly modelVersion: string;
  readonly subjectToken: string;
  readonly outputHash: string;
  /** Unix seconds, as signed. */
  readonly issuedAt: number;
  readonly provider: string;
  readonly consumer: string;
  readonly signature: string;
  readonly txId: string;
}

/** Builds the report from a model output. */
export function newRiskReport(
  productId: string,
  subjectToken: string,
  score: RiskScore,
  generatedAt: Date,
): RiskReport {
  return {
    productId,
    subjectToken,
    score: score.score,
    grade: score.grade,
    dimensions: { ...score.dimensions },
    reasonCodes: score.reasons.map((r) => r.code),
    modelVersion: score.modelVersion,
    generatedAt: generatedAt.toISOString(),
  };
}

/** `0x` + keccak-256 of a JSON value's canonical form (a product's output schema hash, say). */
export function contentHashOf(value: unknown): string {
  return keccak256(toUtf8Bytes(canonicalJson(value)));
}

/** What the receipt's `outputHash` commits to: the content hash of the report. */
export function outputHashOf(report: unknown): string {
  return contentHashOf(report);
}
