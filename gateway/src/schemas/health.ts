import { Type } from 'typebox';
import { open } from './common.js';

export const Health = open({ status: Type.Literal('ok') });

export const ReadinessView = open({
  ready: Type.Boolean(),
  checks: open({ ledger: Type.Boolean(), connector: Type.Boolean(), p2p: Type.Optional(Type.Boolean()), outbox: Type.Optional(Type.Boolean()) }),
});
