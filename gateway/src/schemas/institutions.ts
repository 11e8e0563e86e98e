import { Type } from 'typebox';
import { Address, closed, Id, open, Role } from './common.js';

export const InstitutionView = open({
  id: Id,
  name: Type.String(),
  roles: Type.Array(Role),
  status: Type.Enum(['pending', 'active', 'suspended']),
});

/** The answer to an admission: the institution, and its API key when this gateway hosts it (shown once). */
export const AdmittedView = open({
  id: Id,
  name: Type.String(),
  roles: Type.Array(Role),
  status: Type.Enum(['pending', 'active', 'suspended']),
  apiKey: Type.Optional(Type.String({ description: 'the hosted institution\'s API key, shown once (only its hash is kept)' })),
});

export const InstitutionList = open({ institutions: Type.Array(InstitutionView) });

export const AdmitInstitutionBody = closed({
  id: Id,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  roles: Type.Array(Role, { minItems: 1, maxItems: 7, uniqueItems: true }),
  signerAddress: Type.Optional(Address),
});

export const ApiKeyView = open({ apiKey: Type.String({ description: 'the new API key, shown once; the old key is refused from now on' }) });

export const SuspensionBody = closed({
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
});
