import { Type, type Static } from 'typebox';
import { closed, Id, open, Uscc } from './common.js';

export const FraudRingBody = closed({ uscc: Uscc, consentId: Id });

const Ring = open({
  ringId: Type.String({ description: 'opaque id of the ring at the provider' }),
  size: Type.Integer({ minimum: 1, description: 'enterprises in the ring' }),
  sharedAttributes: Type.Array(Type.Enum(['phone', 'address', 'legalRepresentative']), { description: 'kinds of identifier the members share' }),
  lenders30d: Type.Integer({ description: 'distinct lenders the members applied to in 30 days' }),
  applications30d: Type.Integer({ description: 'applications of the members in 30 days' }),
  riskScore: Type.Integer({ minimum: 0, maximum: 100 }),
});

export const FraudRingResult = open({
  checkId: Type.String(),
  txId: Type.String(),
  inRing: Type.Boolean(),
  ring: Type.Optional(Ring),
  alert: Type.Boolean(),
});
export type FraudRingResult = Static<typeof FraudRingResult>;
