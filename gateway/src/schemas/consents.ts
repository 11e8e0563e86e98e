import { Type } from 'typebox';
import { Address, closed, Id, IsoTime, JsonObject, open, Purpose, Signature, SubjectToken, Uint64, Uscc } from './common.js';

export const RegisterSubjectBody = closed({
  uscc: Uscc,
  signers: Type.Array(Address, { minItems: 1, maxItems: 16, uniqueItems: true }),
});

export const SubjectCreated = open({ subjectToken: SubjectToken, txId: Type.Optional(Type.String()) });

export const TypedDataView = open({
  domain: JsonObject,
  types: Type.Record(Type.String(), Type.Array(open({ name: Type.String(), type: Type.String() }))),
  primaryType: Type.String(),
  message: JsonObject,
});

export const TypedDataResponse = open({ typedData: TypedDataView });

export const ConsentDraftBody = closed({
  uscc: Uscc,
  grantee: Id,
  products: Type.Array(Id, { minItems: 1, maxItems: 50, uniqueItems: true }),
  purpose: Purpose,
  validUntil: IsoTime,
});

/** The EIP-712 `Consent` message exactly as drafted and signed. */
export const ConsentMessage = closed({
  consentId: Id,
  subjectToken: SubjectToken,
  grantee: Id,
  products: Type.Array(Id, { minItems: 1, maxItems: 50 }),
  purpose: Purpose,
  validUntil: Uint64,
  issuedAt: Uint64,
});

export const GrantConsentBody = closed({ message: ConsentMessage, signature: Signature });

export const ConsentCreated = open({ consentId: Type.String(), txId: Type.String() });

export const RevokeConsentBody = closed({ signature: Signature });

export const RevokedView = open({ status: Type.Literal('revoked'), txId: Type.Optional(Type.String()) });

export const ConsentView = open({
  consentId: Type.String(),
  grantee: Type.String(),
  products: Type.Array(Type.String()),
  purpose: Type.String(),
  validUntil: Type.String(),
  status: Type.String(),
});
