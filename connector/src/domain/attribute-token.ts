import type { LendingAttributeKind } from '@xinlian/chaincode';
import { normaliseAddress, normalisePerson, normalisePhone } from '../rings/normalise.js';
import { ConnectorError, ConnectorErrorCode } from './errors.js';
import { blind } from './subject-token.js';

/** A lending application's identifiers as the lender knows them, in plain form (never sent). */
export type LendingAttributes = Partial<Record<LendingAttributeKind, string>>;

/**
 * The normal form of one identifier: phone, address and legal representative as the ring
 * detector normalises them; a device or bank account folded like a person id (width, case,
 * whitespace).
 */
export function normaliseLendingAttribute(kind: LendingAttributeKind, value: string): string {
  switch (kind) {
    case 'phone':
      return normalisePhone(value);
    case 'address':
      return normaliseAddress(value);
    case 'legalRepresentative':
    case 'device':
    case 'bankAccount':
      return normalisePerson(value);
  }
}

/**
 * The blinded token of one identifier: `0x` + hex HMAC-SHA256(consortiumKey, `attr:<kind>:<normalised value>`),
 * the kind in the input so that equal values of different kinds never share a token.
 * @throws ConnectorError `CONN_BAD_INPUT` when the value is empty once normalised, or the key is short.
 */
export function attributeToken(kind: LendingAttributeKind, value: string, consortiumKey: Uint8Array | string): string {
  const normalised = normaliseLendingAttribute(kind, value);
  if (normalised.length === 0) throw new ConnectorError(ConnectorErrorCode.BAD_INPUT, `attribute ${kind} is empty once normalised`);
  return blind(`attr:${kind}:${normalised}`, consortiumKey);
}

/** Every given identifier blinded; plain values never leave this function. */
export function blindAttributes(attributes: LendingAttributes, consortiumKey: Uint8Array | string): LendingAttributes {
  const out: LendingAttributes = {};
  for (const [kind, value] of Object.entries(attributes) as [LendingAttributeKind, string | undefined][]) {
    if (value !== undefined) out[kind] = attributeToken(kind, value, consortiumKey);
  }
  return out;
}
