/**
 * Signing a consent draft as the enterprise's own app would: the draft (the `typedData` of
 * POST /v1/consents/draft) is checked against the consortium's EIP-712 definitions and
 * signed with them, never with types the gateway sent, so a tampered draft cannot make the
 * subject sign something else.
 */
import { isDeepStrictEqual } from 'node:util';
import { EIP712_DOMAIN, EIP712_TYPES, PURPOSES, type ConsentMessage } from '@xinlian/chaincode';
import { Wallet } from 'ethers';
import { CliError, CliErrorCode } from './errors.js';

/** The body of POST /v1/consents. */
export interface SignedConsent {
  readonly message: Record<string, unknown>;
  readonly signature: string;
}

/** What the subject is about to sign, for the person at the keyboard. */
export interface ConsentSummary {
  readonly consentId: string;
  readonly grantee: string;
  readonly products: readonly string[];
  readonly purpose: string;
  readonly validUntil: string;
  readonly signer: string;
}

const TOKEN = /^0x[0-9a-f]{64}$/;
const UINT = /^[0-9]{1,20}$/;

function bad(message: string): CliError {
  return new CliError(CliErrorCode.INPUT, `consent draft: ${message}`);
}

/**
 * Checks a draft: either the `{ typedData }` answer of POST /v1/consents/draft or its
 * `typedData`. Returns the message in the consortium's `Consent` shape.
 * @throws CliError `CLI_INPUT` when the domain, types or primary type are not xinlian's
 *   `Consent`, a message field is missing or malformed, or the consent has already expired.
 */
export function checkConsentDraft(draft: unknown, now: Date): { message: Record<string, unknown>; consent: ConsentMessage } {
  const wrapped = draft as { typedData?: unknown } | null;
  const typedData = (typeof wrapped === 'object' && wrapped !== null && 'typedData' in wrapped ? wrapped.typedData : draft) as {
    domain?: unknown;
    types?: Record<string, unknown>;
    primaryType?: unknown;
    message?: unknown;
  } | null;
  if (typeof typedData !== 'object' || typedData === null) throw bad('not an object');
  if (typedData.primaryType !== 'Consent') throw bad(`primaryType is ${JSON.stringify(typedData.primaryType)}, expected "Consent"`);
  if (!isDeepStrictEqual(typedData.domain, { ...EIP712_DOMAIN })) {
    throw bad(`domain ${JSON.stringify(typedData.domain)} is not xinlian's ${JSON.stringify(EIP712_DOMAIN)}`);
  }
  const sentTypes = typedData.types?.['Consent'];
  if (!isDeepStrictEqual(sentTypes, EIP712_TYPES.Consent.map((f) => ({ ...f })))) {
    throw bad('types.Consent differs from the consortium\'s Consent type');
  }
  const m = typedData.message as Record<string, unknown> | null;
  if (typeof m !== 'object' || m === null) throw bad('message is missing');
  const str = (k: string): string => {
    const v = m[k];
    if (typeof v !== 'string' || v === '') throw bad(`message.${k} must be a non-empty string`);
    return v;
  };
  const secs = (k: string): number => {
    const v = m[k];
    if (!((typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) || (typeof v === 'string' && UINT.test(v)))) {
      throw bad(`message.${k} must be unix seconds`);
    }
    return Number(v);
  };
  const products = m['products'];
  if (!Array.isArray(products) || products.length === 0 || !products.every((p) => typeof p === 'string' && p !== '')) {
    throw bad('message.products must be a non-empty list of product ids');
  }
  const consent: ConsentMessage = {
    consentId: str('consentId'),
    subjectToken: str('subjectToken'),
    grantee: str('grantee'),
    products: products as string[],
    purpose: str('purpose'),
    validUntil: secs('validUntil'),
    issuedAt: secs('issuedAt'),
  };
  if (!TOKEN.test(consent.subjectToken)) throw bad('message.subjectToken must be 0x + 64 lowercase hex');
  if (!(PURPOSES as readonly string[]).includes(consent.purpose)) throw bad(`message.purpose must be one of ${PURPOSES.join(', ')}`);
  if (consent.validUntil * 1000 <= now.getTime()) {
    throw bad(`the consent expired at ${new Date(consent.validUntil * 1000).toISOString()}; draft a new one`);
  }
  return { message: m, consent };
}

/**
 * Signs a checked draft with the subject's signer key (EIP-712, xinlian domain).
 * @throws CliError `CLI_INPUT` when the key is not a secp256k1 private key, or the draft is bad
 *   (see {@link checkConsentDraft}).
 */
export async function signConsentDraft(
  draft: unknown,
  privateKey: string,
  now: Date,
): Promise<{ signed: SignedConsent; summary: ConsentSummary }> {
  const { message, consent } = checkConsentDraft(draft, now);
  let wallet: Wallet;
  try {
    wallet = new Wallet(privateKey);
  } catch (e) {
    throw new CliError(CliErrorCode.INPUT, 'the subject signer key is not a valid private key', { cause: e });
  }
  const signature = await wallet.signTypedData({ ...EIP712_DOMAIN }, { Consent: EIP712_TYPES.Consent.map((f) => ({ ...f })) }, consent);
  return {
    signed: { message, signature },
    summary: {
      consentId: consent.consentId,
      grantee: consent.grantee,
      products: consent.products,
      purpose: consent.purpose,
      validUntil: new Date(consent.validUntil * 1000).toISOString(),
      signer: wallet.address,
    },
  };
}

/** One line describing what was signed. */
export function describeConsent(s: ConsentSummary): string {
  return `consent ${s.consentId}: ${s.grantee} may use ${s.products.join(', ')} for ${s.purpose} until ${s.validUntil} (signed by ${s.signer})`;
}
