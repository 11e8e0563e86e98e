import { Type } from 'typebox';
import { closed, Id, IsoTime, open, Uscc } from './common.js';
import { LENDING_EVENT_TYPES } from '../services.js';

/** Largest lending-event batch accepted in one call: one chaincode transaction, all or nothing. */
export { MAX_LENDING_BATCH } from '@xinlian/chaincode';
import { MAX_LENDING_BATCH } from '@xinlian/chaincode';

export const LendingEvent = closed({
  uscc: Uscc,
  type: Type.Enum(LENDING_EVENT_TYPES),
  amount: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'fen' })),
  occurredAt: IsoTime,
});

export const LendingEventsBody = closed({ events: Type.Array(LendingEvent, { minItems: 1, maxItems: MAX_LENDING_BATCH }) });

export const LendingEventsResult = open({ accepted: Type.Integer(), txIds: Type.Array(Type.String()) });

export const MultiLendingBody = closed({ uscc: Uscc, consentId: Id });

const Window = open({ institutions: Type.Integer(), applications: Type.Integer() });

export const MultiLendingResult = open({
  checkId: Type.String(),
  txId: Type.String(),
  windows: open({ '7d': Window, '30d': Window, '90d': Window }),
  overdueInstitutions: Type.Integer(),
  openLoans: Type.Integer(),
  alert: Type.Boolean(),
});
