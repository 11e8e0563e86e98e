import { parsePolicy, policyHash, type Policy } from '../policy/index.js';

/** Contract terms both sides derive from the product's policy on the ledger. */
export interface ContractTerms {
  readonly policy: Policy;
  readonly policyHash: string;
  /** 0 = unlimited. */
  readonly maxUses: number;
  /** 0 = unlimited. */
  readonly ratePerMinute: number;
}

/**
 * Derives the terms of a usage contract from a product policy: its hash and the count and
 * rate limits of its first permission that sets them.
 * @throws ConnectorError `CONN_BAD_POLICY` when the policy is malformed.
 */
export function contractTerms(policyJson: unknown): ContractTerms {
  const policy = parsePolicy(policyJson);
  let maxUses = 0;
  let ratePerMinute = 0;
  for (const permission of policy.permissions) {
    for (const c of permission.constraints) {
      if (c.leftOperand === 'count' && maxUses === 0) maxUses = c.rightOperand;
      if (c.leftOperand === 'ratePerMinute' && ratePerMinute === 0) ratePerMinute = c.rightOperand;
    }
  }
  return { policy, policyHash: policyHash(policy), maxUses, ratePerMinute };
}
