import type { Role } from '@xinlian/chaincode';

/** One institution of the demo consortium. */
export interface PlannedInstitution {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
  /** Its ledger organisation. */
  readonly mspId: string;
  /** The synthetic data's lender whose history this institution reports, if any. */
  readonly syntheticLender?: string;
}

/**
 * The demo consortium of shared/API.md: a regulator, an operator, a provider (a local
 * credit-data company), three microlenders, two banks, a guarantor and a data exchange.
 */
export const DEMO_INSTITUTIONS: readonly PlannedInstitution[] = [
  { id: 'regulator', name: 'Local Financial Regulatory Bureau', roles: ['regulator'], mspId: 'RegulatorMSP' },
  { id: 'operator', name: 'Credit Chain Operator', roles: ['operator'], mspId: 'OperatorMSP' },
  { id: 'credit-data', name: 'Municipal Credit Data Co.', roles: ['provider'], mspId: 'ProviderMSP' },
  { id: 'microloan-a', name: 'Pearl River Microloan', roles: ['microlender'], mspId: 'LenderMSP', syntheticLender: 'lender-3' },
  { id: 'microloan-b', name: 'Tianhe Microloan', roles: ['microlender'], mspId: 'LenderMSP', syntheticLender: 'lender-4' },
  { id: 'microloan-c', name: 'Nansha Microloan', roles: ['microlender'], mspId: 'LenderMSP', syntheticLender: 'lender-5' },
  { id: 'bank-a', name: 'Rural Commercial Bank', roles: ['bank'], mspId: 'BankMSP', syntheticLender: 'lender-1' },
  { id: 'bank-b', name: 'City Commercial Bank', roles: ['bank'], mspId: 'BankMSP', syntheticLender: 'lender-2' },
  { id: 'guarantor', name: 'SME Financing Guarantee Co.', roles: ['guarantor'], mspId: 'GuarantorMSP' },
  { id: 'exchange', name: 'Data Exchange', roles: ['exchange'], mspId: 'ExchangeMSP' },
];

/** The provider's products in the demo. */
export const DEMO_PRODUCTS = {
  score: { id: 'sme-credit-score', name: 'SME credit score', kind: 'score', classification: 2 },
  check: { id: 'multi-lending-check', name: 'Multi-lending check', kind: 'check', classification: 2 },
  ring: { id: 'fraud-ring-check', name: 'Fraud-ring check', kind: 'ring', classification: 2 },
} as const;

export const DEMO_PROVIDER = 'credit-data';
export const DEMO_EXCHANGE = 'exchange';
export const DEMO_CERTIFICATE_NO = 'GZDE-2026-000117';
