import { Type } from 'typebox';
import { closed, Id, IsoTime, open, Uscc } from './common.js';
import { LENDING_EVENT_TYPES } from '../services.js';

/** Largest lending-event batch accepted in one call: one chaincode transaction, all or nothing. */
export { MAX_LENDING_BATCH } from '@xinlian/chaincode';
import { CHECK_PURPOSES, CHECK_REASONS, MAX_LENDING_BATCH } from '@xinlian/chaincode';

const AttributeValue = Type.Optional(Type.String({ minLength: 1, maxLength: 256 }));

/** An application's identifiers, plain here; the lender's connector blinds each before anything leaves it. */
export const LendingAttributes = Type.Object(
  { phone: AttributeValue, address: AttributeValue, legalRepresentative: AttributeValue, device: AttributeValue, bankAccount: AttributeValue },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'application events only (400 on any other type); blinded with the consortium key before leaving the connector, never stored or echoed in plain form',
  },
);

export const LendingEvent = closed({
  uscc: Uscc,
  type: Type.Enum(LENDING_EVENT_TYPES),
  amount: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'fen' })),
  occurredAt: IsoTime,
  attributes: Type.Optional(LendingAttributes),
});

export const LendingEventsBody = closed({ events: Type.Array(LendingEvent, { minItems: 1, maxItems: MAX_LENDING_BATCH }) });

export const LendingEventsResult = open({ accepted: Type.Integer(), txIds: Type.Array(Type.String()) });

export const MultiLendingBody = closed({ uscc: Uscc, consentId: Id });

const Count = (description: string) => Type.Integer({ minimum: 0, description });
const LenderTypeCount = open({ institutions: Count('distinct other institutions of this type with an application'), applications: Count('their applications') });

const Window = open({
  institutions: Count('distinct other institutions with an application in the window'),
  applications: Count("other institutions' applications"),
  loans: Count("other institutions' loans granted"),
  rejections: Count("other institutions' rejections"),
  byLenderType: open({ bank: LenderTypeCount, microlender: LenderTypeCount, guarantor: LenderTypeCount, other: LenderTypeCount }),
});

export const MultiLendingResult = open({
  checkId: Type.String(),
  txId: Type.String({ description: 'the transaction that recorded the check (the first one, for a retry with the same Idempotency-Key)' }),
  purpose: Type.Enum(CHECK_PURPOSES, { description: "the consent's purpose, recorded with the check" }),
  requestedAt: IsoTime,
  windows: open(
    { '7d': Window, '15d': Window, '30d': Window, '90d': Window, '180d': Window, '365d': Window },
    'events by occurredAt in (requestedAt − N days, requestedAt], other institutions only',
  ),
  overdueInstitutions: Count('other institutions whose latest overdue is within 90 days, a loan still open'),
  overdueInstitutions5y: Count('other institutions with an overdue dated within five years (older never counts)'),
  openLoans: Count("other institutions' loans not settled"),
  debt: open({
    lenders: Count('other institutions holding a loan not settled'),
    openLoans: Count('their loans not settled'),
    outstandingAmount: Count('fen: loan amounts less repayments, 0 once a lender settles its last loan'),
  }),
  velocity: Type.Union(
    [
      open({
        daysSinceLastApplication: Count('whole days since the latest application by another institution'),
        daysSinceFirstApplication: Count('whole days since the first'),
        monthsWithApplications12m: Count('of the twelve 30-day periods back from the check, those with an application'),
        maxApplicationsIn24h: Count('most applications within any 24 hours of the last 365 days'),
      }),
      Type.Null(),
    ],
    { description: "over other institutions' applications; null when there is none" },
  ),
  self: open({ applications365d: Count("the caller's own applications in 365 days"), openLoans: Count("the caller's own loans not settled") }),
  reasons: Type.Array(Type.Enum(Object.values(CHECK_REASONS)), { description: 'codes explaining alert (empty when alert is false)' }),
  alert: Type.Boolean(),
  disputed: Count('counted records under an open dispute (0 until disputes exist)'),
});
