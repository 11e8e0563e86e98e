import { Type } from 'typebox';
import { Address, closed, Id, open, Role } from './common.js';

export const InstitutionView = open({
  id: Id,
  name: Type.String(),
  roles: Type.Array(Role),
  status: Type.Enum(['pending', 'active', 'suspended']),
});

export const InstitutionList = open({ institutions: Type.Array(InstitutionView) });

export const AdmitInstitutionBody = closed({
  id: Id,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  roles: Type.Array(Role, { minItems: 1, maxItems: 7, uniqueItems: true }),
  signerAddress: Address,
});

export const SuspensionBody = closed({
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
});
