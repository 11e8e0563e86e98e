/**
 * ODRL-like usage policies: permissions and prohibitions whose constraints are
 * `{ leftOperand, operator, rightOperand }` triples, evaluated at three scopes.
 */

export type PolicyScope = 'catalog' | 'negotiation' | 'transfer';
export const POLICY_SCOPES: readonly PolicyScope[] = ['catalog', 'negotiation', 'transfer'];

/** Purposes of use, as consents name them. */
export { PURPOSES } from '@xinlian/chaincode';

export type TimeOperator = 'gt' | 'gteq' | 'lt' | 'lteq';

export type Constraint =
  /** The consumer institution's id is one of the list. */
  | {
      readonly leftOperand: 'institution';
      readonly operator: 'isAnyOf';
      readonly rightOperand: readonly string[];
    }
  /** The consumer holds at least one of the roles. */
  | {
      readonly leftOperand: 'role';
      readonly operator: 'isAnyOf';
      readonly rightOperand: readonly string[];
    }
  /** The declared purpose is one of the list (not known at catalog scope). */
  | {
      readonly leftOperand: 'purpose';
      readonly operator: 'isAnyOf';
      readonly rightOperand: readonly string[];
    }
  /** The evaluation time compared with an ISO-8601 instant (validity window). */
  | {
      readonly leftOperand: 'dateTime';
      readonly operator: TimeOperator;
      readonly rightOperand: string;
    }
  /** At most this many uses per contract (transfer scope). */
  | { readonly leftOperand: 'count'; readonly operator: 'lteq'; readonly rightOperand: number }
  /** At most this many uses per contract in any 60-second window (transfer scope). */
  | {
      readonly leftOperand: 'ratePerMinute';
      readonly operator: 'lteq';
      readonly rightOperand: number;
    }
  /** The product's classification level is at most the consumer's clearance. */
  | {
      readonly leftOperand: 'classification';
      readonly operator: 'lteq';
      readonly rightOperand: 'consumerClearance';
    }
  /** A valid, unrevoked consent of the data subject covers this use (transfer scope). */
  | { readonly leftOperand: 'consent'; readonly operator: 'eq'; readonly rightOperand: true };

export type LeftOperand = Constraint['leftOperand'];

export interface Rule {
  /** Unique within the policy; returned as the deciding rule. */
  readonly id: string;
  /** Scopes the rule applies at (default: all three). */
  readonly scopes?: readonly PolicyScope[];
  /** All must hold (logical AND). */
  readonly constraints: readonly Constraint[];
}

export interface Permission extends Rule {
  /** Output fields (dotted paths) to mask when this permission is the one that allows. */
  readonly mask?: readonly string[];
}

export type Prohibition = Rule;

export interface Policy {
  /** Policy id, e.g. `policy:credit-score`. */
  readonly id: string;
  /** Product the policy governs, if bound. */
  readonly target?: string;
  /**
   * Purposes allowed at all. The chaincode reads this list (`policy.purposes`) when a
   * usage contract is agreed; the engine enforces it too at negotiation and transfer
   * (deciding rule `<policy id>#purposes`).
   */
  readonly purposes?: readonly string[];
  /** Evaluated in order; the first whose constraints all hold allows. */
  readonly permissions: readonly Permission[];
  /** Evaluated first; one whose constraints all hold denies (deny overrides). */
  readonly prohibitions: readonly Prohibition[];
}

/** The consumer as the provider knows it (from the ledger's institution registry). */
export interface ConsumerInfo {
  readonly institution: string;
  readonly roles: readonly string[];
  /** Highest classification level the consumer may receive (1–4). */
  readonly clearance: number;
}

export interface ProductInfo {
  readonly id: string;
  /** 1–4 */
  readonly classification: number;
}

interface BaseContext {
  /** Evaluation time, ms since the epoch (the provider's own clock). */
  readonly now: number;
  readonly consumer: ConsumerInfo;
  readonly product: ProductInfo;
}

/** Listing the product in a catalogue for this consumer. */
export interface CatalogContext extends BaseContext {
  readonly scope: 'catalog';
}

/** Agreeing a usage contract for a purpose. */
export interface NegotiationContext extends BaseContext {
  readonly scope: 'negotiation';
  readonly purpose: string;
}

/** Releasing one output under a contract. */
export interface TransferContext extends BaseContext {
  readonly scope: 'transfer';
  readonly purpose: string;
  readonly usage: {
    /** Uses already made under this contract (this one not included). */
    readonly usesSoFar: number;
    /** Times (ms) of earlier uses under this contract; only the last minute matters. */
    readonly recentUses: readonly number[];
  };
  /** Whether a valid, unrevoked consent covers this subject, product and purpose. */
  readonly consentValid: boolean;
}

export type PolicyContext = CatalogContext | NegotiationContext | TransferContext;

/** Why a request was denied, one code per kind of constraint. */
export const PolicyDenyCode = {
  INSTITUTION: 'CONN_POLICY_INSTITUTION',
  ROLE: 'CONN_POLICY_ROLE',
  PURPOSE: 'CONN_POLICY_PURPOSE',
  NOT_YET_VALID: 'CONN_POLICY_NOT_YET_VALID',
  EXPIRED: 'CONN_POLICY_EXPIRED',
  MAX_USES: 'CONN_POLICY_MAX_USES',
  RATE_LIMIT: 'CONN_POLICY_RATE_LIMIT',
  CLEARANCE: 'CONN_POLICY_CLEARANCE',
  CONSENT_REQUIRED: 'CONN_POLICY_CONSENT_REQUIRED',
  PROHIBITED: 'CONN_POLICY_PROHIBITED',
  NO_PERMISSION: 'CONN_POLICY_NO_PERMISSION',
} as const;
export type PolicyDenyCode = (typeof PolicyDenyCode)[keyof typeof PolicyDenyCode];

export type PolicyDecision =
  | {
      readonly allowed: true;
      readonly scope: PolicyScope;
      /** The permission that allowed. */
      readonly ruleId: string;
      /** Fields to mask in the output. */
      readonly mask: readonly string[];
    }
  | {
      readonly allowed: false;
      readonly scope: PolicyScope;
      /** The prohibition that matched, or the permission that came closest (first failing). */
      readonly ruleId: string;
      readonly code: PolicyDenyCode;
      readonly reason: string;
      /** Index of the constraint that failed within the permission, when one did. */
      readonly constraintIndex?: number;
    };
