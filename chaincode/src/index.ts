/**
 * @xinlian/chaincode — the consortium's rules (see README.md for the transaction contract).
 *
 * `contracts` is what `fabric-chaincode-node` loads. Everything else is the shared
 * vocabulary other packages import: error codes, event names, EIP-712 definitions,
 * record shapes and canonical JSON.
 */
import './log-level.js';
import { AuditContract } from './contracts/audit.js';
import { ConsentsContract } from './contracts/consents.js';
import { FraudRingsContract } from './contracts/fraud-rings.js';
import { InstitutionsContract } from './contracts/institutions.js';
import { LendingContract } from './contracts/lending.js';
import { ProductsContract } from './contracts/products.js';
import { ReceiptsContract } from './contracts/receipts.js';
import { SubjectsContract } from './contracts/subjects.js';
import { UsageContractsContract } from './contracts/usage-contracts.js';

/** The contract classes, in the order Fabric registers them. */
export const contracts = [
  InstitutionsContract,
  SubjectsContract,
  ProductsContract,
  ConsentsContract,
  UsageContractsContract,
  ReceiptsContract,
  LendingContract,
  FraudRingsContract,
  AuditContract,
];
export {
  AuditContract,
  ConsentsContract,
  FraudRingsContract,
  InstitutionsContract,
  LendingContract,
  ProductsContract,
  ReceiptsContract,
  SubjectsContract,
  UsageContractsContract,
};

export { ErrorCode, ERROR_DESCRIPTIONS, ChaincodeRefusal, errorCodeOf } from './errors.js';
export { CodedError, isCodedError } from './coded-error.js';
export { canonicalJson, CANONICAL_JSON_MAX_DEPTH } from './canonical-json.js';
export * from './constants.js';
export * from './eip712.js';
export type * from './records.js';
export { SUBJECT_TOKEN_PATTERN } from './validate.js';
export type { RingCheckRequest } from './contracts/fraud-rings.js';
export { CHECK_REASONS } from './lib/multi-lending.js';
export { LENDER_TYPES, type LenderType } from './lib/lending-aggregates.js';
