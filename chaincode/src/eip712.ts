import type { TypedDataField } from 'ethers';

/** The EIP-712 domain of every xinlian signature (no chain id: signatures are not transactions). */
export const EIP712_DOMAIN = Object.freeze({ name: 'xinlian', version: '1' });

/** EIP-712 type definitions, one entry per primary type. Times are unix seconds. */
export const EIP712_TYPES = Object.freeze({
  Consent: [
    { name: 'consentId', type: 'string' },
    { name: 'subjectToken', type: 'string' },
    { name: 'grantee', type: 'string' },
    { name: 'products', type: 'string[]' },
    { name: 'purpose', type: 'string' },
    { name: 'validUntil', type: 'uint64' },
    { name: 'issuedAt', type: 'uint64' },
  ],
  ConsentRevocation: [
    { name: 'consentId', type: 'string' },
    { name: 'subjectToken', type: 'string' },
  ],
  UsageContract: [
    { name: 'contractId', type: 'string' },
    { name: 'productId', type: 'string' },
    { name: 'provider', type: 'string' },
    { name: 'consumer', type: 'string' },
    { name: 'purpose', type: 'string' },
    { name: 'validUntil', type: 'uint64' },
    { name: 'maxUses', type: 'uint32' },
    { name: 'ratePerMinute', type: 'uint32' },
    { name: 'policyHash', type: 'string' },
  ],
  Receipt: [
    { name: 'receiptId', type: 'string' },
    { name: 'contractId', type: 'string' },
    { name: 'consentId', type: 'string' },
    { name: 'productId', type: 'string' },
    { name: 'modelVersion', type: 'string' },
    { name: 'subjectToken', type: 'string' },
    { name: 'outputHash', type: 'string' },
    { name: 'issuedAt', type: 'uint64' },
  ],
} satisfies Record<string, TypedDataField[]>);
export type PrimaryType = keyof typeof EIP712_TYPES;

/** EIP-712 `Consent`, signed by a registered signer of the subject. */
export interface ConsentMessage {
  consentId: string;
  subjectToken: string;
  /** Grantee institution id. */
  grantee: string;
  /** Product ids covered. */
  products: string[];
  purpose: string;
  /** Unix seconds. */
  validUntil: number;
  /** Unix seconds. */
  issuedAt: number;
}

/** EIP-712 `ConsentRevocation`, signed by a registered signer of the subject. */
export interface ConsentRevocationMessage {
  consentId: string;
  subjectToken: string;
}

/** EIP-712 `UsageContract`, signed by the provider's and the consumer's signers. */
export interface UsageContractMessage {
  contractId: string;
  productId: string;
  /** Provider institution id. */
  provider: string;
  /** Consumer institution id. */
  consumer: string;
  purpose: string;
  /** Unix seconds. */
  validUntil: number;
  maxUses: number;
  ratePerMinute: number;
  /** `0x` + 64 hex: hash of the resolved policy. */
  policyHash: string;
}

/** EIP-712 `Receipt`, signed by the provider's signer. */
export interface ReceiptMessage {
  receiptId: string;
  contractId: string;
  consentId: string;
  productId: string;
  modelVersion: string;
  subjectToken: string;
  /** `0x` + 64 hex: hash of the delivered output. */
  outputHash: string;
  /** Unix seconds. */
  issuedAt: number;
}

interface MessageOf {
  Consent: ConsentMessage;
  ConsentRevocation: ConsentRevocationMessage;
  UsageContract: UsageContractMessage;
  Receipt: ReceiptMessage;
}

/** Everything a wallet needs to sign (`wallet.signTypedData(domain, types, message)`). */
export interface TypedData<P extends PrimaryType> {
  domain: { name: string; version: string };
  /** Only the primary type (ethers derives `EIP712Domain` itself). */
  types: Record<P, TypedDataField[]>;
  primaryType: P;
  message: MessageOf[P];
}

/** Builds the typed data of one primary type, with only the fields the type defines. */
export function typedData<P extends PrimaryType>(primaryType: P, message: MessageOf[P]): TypedData<P> {
  const fields = EIP712_TYPES[primaryType];
  const picked: Record<string, unknown> = {};
  for (const f of fields) picked[f.name] = (message as unknown as Record<string, unknown>)[f.name];
  return {
    domain: { ...EIP712_DOMAIN },
    types: { [primaryType]: fields.map((f) => ({ ...f })) } as Record<P, TypedDataField[]>,
    primaryType,
    message: picked as unknown as MessageOf[P],
  };
}

/** Typed data of a consent. */
export function consentTypedData(message: ConsentMessage): TypedData<'Consent'> {
  return typedData('Consent', message);
}

/** Typed data of a consent revocation. */
export function revocationTypedData(message: ConsentRevocationMessage): TypedData<'ConsentRevocation'> {
  return typedData('ConsentRevocation', message);
}

/** Typed data of a usage contract. */
export function usageContractTypedData(message: UsageContractMessage): TypedData<'UsageContract'> {
  return typedData('UsageContract', message);
}

/** Typed data of a provenance receipt. */
export function receiptTypedData(message: ReceiptMessage): TypedData<'Receipt'> {
  return typedData('Receipt', message);
}
