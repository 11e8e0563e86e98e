import { Type } from 'typebox';
import { closed, Id, IsoTime, open, Uscc } from './common.js';
import { AUDIT_EVENT_TYPES } from '../services.js';

export const AuditQuery = closed({
  institution: Type.Optional(Id),
  type: Type.Optional(Type.Enum(AUDIT_EVENT_TYPES)),
  from: Type.Optional(IsoTime),
  to: Type.Optional(IsoTime),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  subject: Type.Optional(Uscc),
  order: Type.Optional(Type.Enum(['asc', 'desc'], { description: 'asc (default): oldest first; desc: newest first' })),
});

export const AuditStatsQuery = closed({
  from: IsoTime,
  to: IsoTime,
  bucket: Type.Enum(['hour', 'day'], { description: 'hour (at most 31 days) or day (at most 366 days)' }),
});

export const AuditStats = open({
  buckets: Type.Array(open({ start: Type.String(), type: Type.String(), institution: Type.String(), count: Type.Integer() })),
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
