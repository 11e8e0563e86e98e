import { Type } from 'typebox';
import { open } from './common.js';

export const Health = open({ status: Type.Literal('ok') });

export const ReadinessView = open({
  ready: Type.Boolean(),
  checks: open({ ledger: Type.Boolean(), connector: Type.Boolean(), p2p: Type.Optional(Type.Boolean()), outbox: Type.Optional(Type.Boolean()) }),
  details: Type.Optional(
    open({
      suspended: Type.Optional(Type.Array(Type.String(), { description: 'Hosted institutions that are suspended: their connectors are paused and do not count against readiness' })),
    }),
  ),
});
