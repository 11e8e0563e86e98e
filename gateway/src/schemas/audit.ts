import { Type } from 'typebox';
import { closed, Id, IsoTime, open } from './common.js';
import { AUDIT_EVENT_TYPES } from '../services.js';

export const AuditQuery = closed({
  institution: Type.Optional(Id),
  type: Type.Optional(Type.Enum(AUDIT_EVENT_TYPES)),
  from: Type.Optional(IsoTime),
  to: Type.Optional(IsoTime),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
});

export const AuditEvent = open({
  txId: Type.String(),
  block: Type.Integer(),
  type: Type.String(),
  institution: Type.String(),
  at: Type.String(),
});

export const AuditPage = open({ events: Type.Array(AuditEvent), cursor: Type.Optional(Type.String()) });

export const IntegrityResult = open({ ok: Type.Boolean(), height: Type.Integer(), headHash: Type.String() });
