import { Type } from 'typebox';
import { closed, Id, IsoTime, open, Purpose, Uscc } from './common.js';

export const ContractBody = closed({ productId: Id, purpose: Purpose, validUntil: Type.Optional(IsoTime) });

export const ContractView = open({
  contractId: Type.String(),
  provider: Type.String(),
  consumer: Type.String(),
  productId: Type.String(),
  purpose: Type.String(),
  validUntil: Type.String(),
  status: Type.String(),
});

export const TerminationBody = closed({ reason: Type.String({ minLength: 1, maxLength: 500 }) });

export const RiskReportBody = closed({ contractId: Id, consentId: Id, uscc: Uscc });

const Dimension = Type.Number({ minimum: 0, maximum: 100 });

export const RiskReportView = open({
  productId: Type.String(),
  subjectToken: Type.String(),
  score: Type.Number({ minimum: 0, maximum: 1000 }),
  grade: Type.String(),
  dimensions: open({
    basicInfo: Dimension,
    operationalStability: Dimension,
    creditHistory: Dimension,
    businessCondition: Dimension,
    repaymentCapacity: Dimension,
  }),
  reasonCodes: Type.Array(Type.String()),
  modelVersion: Type.String(),
  generatedAt: Type.String(),
});

export const ReceiptView = open({
  receiptId: Type.String(),
  contractId: Type.String(),
  consentId: Type.String(),
  outputHash: Type.String(),
  provider: Type.String(),
  signature: Type.String(),
  txId: Type.String(),
});

export const RiskReportResponse = open({ report: RiskReportView, receipt: ReceiptView });
