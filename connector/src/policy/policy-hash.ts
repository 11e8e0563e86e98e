import { createHash } from 'node:crypto';
import { canonicalJson } from '@xinlian/chaincode';
import type { Policy } from './types.js';

/**
 * `0x` + SHA-256 hex of the policy's canonical JSON (the chaincode's `canonicalJson`):
 * the `policyHash` both parties sign in a usage contract, so the policy they agreed on is
 * the one enforced. Never throws for a policy that passed {@link parsePolicy}.
 */
export function policyHash(policy: Policy): string {
  return '0x' + createHash('sha256').update(canonicalJson(policy)).digest('hex');
}
