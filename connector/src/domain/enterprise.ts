/**
 * The raw enterprise data an institution holds at home (never leaves its connector).
 * Monthly series are oldest first and end with the month `seriesEnd`.
 */

/** Tax credit grade: A (≥ 90 points), B (70–90), M (new firm), C (40–70), D (< 40). */
export type TaxGrade = 'A' | 'B' | 'M' | 'C' | 'D';
export const TAX_GRADES: readonly TaxGrade[] = ['A', 'B', 'M', 'C', 'D'];

/** Lending event types, as the chaincode's `lending:Record` takes them. */
export type LendingEventType = 'application' | 'loan' | 'repayment' | 'overdue' | 'settled';

export interface AdministrativePenalty {
  /** YYYY-MM-DD */
  readonly on: string;
  /** CNY */
  readonly amount: number;
  readonly authority: string;
}

export interface CourtJudgment {
  /** YYYY-MM-DD */
  readonly on: string;
  /** CNY at stake */
  readonly amount: number;
  /** `enforcing`: an enforcement case is open against the firm. */
  readonly status: 'closed' | 'enforcing';
  /** On the dishonest judgment debtor list (失信被执行人). */
  readonly dishonestDebtor: boolean;
}

/** One lending event of this enterprise at one lender. */
export interface LendingRecord {
  readonly lenderId: string;
  readonly type: LendingEventType;
  /** CNY; absent for overdue flags without an amount. */
  readonly amount?: number;
  /** ISO-8601 UTC */
  readonly occurredAt: string;
}

export interface EnterpriseRecord {
  readonly uscc: string;
  readonly name: string;
  /** YYYY-MM-DD */
  readonly registeredOn: string;
  /** CNY */
  readonly registeredCapital: number;
  /** GB/T 4754 section letter (C manufacturing, F wholesale and retail, …). */
  readonly industry: string;
  /** 6-digit administrative division code. */
  readonly district: string;
  /** Blinded person id of the legal representative (never a name or ID number). */
  readonly legalRepresentative: string;
  readonly phone: string;
  readonly address: string;
  /** YYYY-MM: the last month of every monthly series. */
  readonly seriesEnd: string;
  /** Tax paid per month (CNY), 24 months. */
  readonly taxPaid: readonly number[];
  readonly taxGrade: TaxGrade;
  /** Social-security headcount per month, 24 months. */
  readonly headcount: readonly number[];
  /** Electricity per month (kWh), 12 months. */
  readonly electricityKwh: readonly number[];
  /** Water per month (tonnes), 12 months. */
  readonly waterTons: readonly number[];
  readonly penalties: readonly AdministrativePenalty[];
  readonly judgments: readonly CourtJudgment[];
  /** Lending history across lenders, in time order. */
  readonly lending: readonly LendingRecord[];
}

/** Industry risk class per GB/T 4754 section; unknown sections count as medium. */
export const INDUSTRY_RISK: Readonly<Record<string, 'low' | 'medium' | 'high'>> = {
  C: 'low', // manufacturing
  I: 'low', // information technology
  M: 'low', // research and technical services
  E: 'medium', // construction
  F: 'medium', // wholesale and retail
  G: 'medium', // transport and logistics
  L: 'medium', // leasing and business services
  A: 'high', // agriculture
  H: 'high', // accommodation and catering
  K: 'high', // real estate
};

/** How a synthetic firm's business develops. */
export type Trajectory = 'steady' | 'growing' | 'declining' | 'shell';

/** Known answers for a synthetic enterprise, kept apart from its data (tests assert detection). */
export interface GroundTruth {
  readonly uscc: string;
  readonly trajectory: Trajectory;
  /** A shell company: no staff, no tax, no utilities, large registered capital. */
  readonly shell: boolean;
  /** Applied to several lenders within a few days shortly before `asOf`. */
  readonly multiBorrower: boolean;
  /** Member of a fraud ring; the ring shares two or three kinds of identifier. */
  readonly ringId?: string;
  /** The first kind this member shares with its ring (see `ringAttributes`). */
  readonly ringAttribute?: 'phone' | 'address' | 'legalRepresentative';
  /** Every kind this member shares with its ring. */
  readonly ringAttributes?: readonly ('phone' | 'address' | 'legalRepresentative')[];
  /** Benign sharing: an accounting agency's client, a business centre's tenant, a group company. */
  readonly sharedGroup?: 'agency' | 'business_centre' | 'group_company';
  readonly sharedGroupId?: string;
}
