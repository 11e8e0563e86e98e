import { Type } from 'typebox';
import { closed, Id, open } from './common.js';

/**
 * The report and receipt are documents the gateway produced, carried verbatim by their
 * holder: their fields are checked by the hash and the signature, so unknown fields are
 * accepted here (they are part of what is verified).
 */
const Document = Type.Record(Type.String(), Type.Unknown());

export const VerifyBody = closed({ report: Document, receipt: Document });

export const VerifyResult = open({
  valid: Type.Boolean(),
  checks: open({
    hash: Type.Boolean(),
    signature: Type.Boolean(),
    ledger: Type.Boolean(),
    contract: Type.Boolean(),
    consent: Type.Boolean(),
  }),
});

export const ReceiptParams = closed({ receiptId: Id });

export const RecordedReceipt = open({
  receiptId: Type.String(),
  contractId: Type.String(),
  consentId: Type.String(),
  outputHash: Type.String(),
  provider: Type.String(),
  signature: Type.String(),
  txId: Type.String(),
  block: Type.Integer(),
});
