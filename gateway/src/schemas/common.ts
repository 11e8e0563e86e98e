/** TypeBox building blocks shared by the route schemas. */
import { Type, type TSchema } from 'typebox';
import { PURPOSES, ROLES } from '../services.js';

/** Name of the string format checked by `uscc-format.ts` (registered in `validation.ts`). */
export const USCC_FORMAT = 'uscc';

/** An 18-character unified social credit code with a valid check character. */
export const Uscc = Type.String({
  format: USCC_FORMAT,
  minLength: 18,
  maxLength: 18,
  description: 'Unified social credit code (GB 32100-2015), 18 characters including its check character',
  examples: ['91350100M000100Y43'],
});

/** Identifiers of institutions, products, consents, contracts, receipts. */
export const Id = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' });

export const Address = Type.String({ pattern: '^0x[0-9a-fA-F]{40}$', description: 'secp256k1 address, 0x + 40 hex' });

/** A 65-byte secp256k1 signature, 0x + 130 hex. Anything else is a 400 (bad signature encoding). */
export const Signature = Type.String({ pattern: '^0x[0-9a-fA-F]{130}$', description: '65-byte signature, 0x + 130 hex' });

export const SubjectToken = Type.String({ pattern: '^0x[0-9a-f]{64}$', description: 'blinded subject token, 0x + 64 hex' });

/** An ISO-8601 UTC time in input. */
export const IsoTime = Type.String({ format: 'date-time', maxLength: 40, description: 'ISO-8601 UTC time' });

/** Unix seconds as an integer or a decimal string (EIP-712 uint64). */
export const Uint64 = Type.Union([
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  Type.String({ pattern: '^[0-9]{1,20}$' }),
]);

export const Purpose = Type.Enum(PURPOSES, { description: 'pre_loan | in_loan | post_loan | guarantee' });
export const Role = Type.Enum(ROLES);

/** A free-form JSON object (policies, output schemas, EIP-712 parts). */
export const JsonObject = Type.Record(Type.String(), Type.Unknown());

export const ErrorBody = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String({ description: 'BAD_REQUEST, UNAUTHENTICATED, FORBIDDEN, POLICY_DENIED, NOT_FOUND, CONFLICT, CONSENT_INVALID, CONTRACT_INVALID, RATE_LIMITED, UNAVAILABLE, INTERNAL' }),
        message: Type.String(),
        rule: Type.Optional(Type.String({ description: 'the policy rule that decided a POLICY_DENIED' })),
        reason: Type.Optional(Type.String({ description: 'the internal error code (4xx only)' })),
        requestId: Type.Optional(Type.String()),
      },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true },
);

/** Route responses plus the error body for every 4xx/5xx. */
export function withErrors<T extends Record<number, TSchema>>(responses: T): T & { '4xx': typeof ErrorBody; '5xx': typeof ErrorBody } {
  return { ...responses, '4xx': ErrorBody, '5xx': ErrorBody };
}

/** Path parameter `{id}`. */
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

/** A body that must be absent or an empty object. */
export const EmptyBody = Type.Object({}, { additionalProperties: false });

/** Open response object: documented fields plus anything the services add. */
export function open<T extends Record<string, TSchema>>(properties: T, description?: string) {
  return Type.Object(properties, { additionalProperties: true, ...(description ? { description } : {}) });
}

/** Closed request object: unknown fields are a 400. */
export function closed<T extends Record<string, TSchema>>(properties: T) {
  return Type.Object(properties, { additionalProperties: false });
}
