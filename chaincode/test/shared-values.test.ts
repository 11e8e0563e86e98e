import { ERROR_DESCRIPTIONS, ErrorCode, canonicalJson, consentTypedData, errorCodeOf, EIP712_TYPES } from '@xinlian/chaincode';
import { Wallet, verifyTypedData } from 'ethers';
import { describe, expect, it } from 'vitest';

describe('shared values', () => {
  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined, x: 2 }], c: 'é' } })).toBe('{"a":{"c":"é","d":[3,{"x":2,"z":1}]},"b":1}');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
  });

  it('describes every error code and parses codes from messages', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(code).toMatch(/^CC_[A-Z_]+$/);
      expect(ERROR_DESCRIPTIONS[code].length).toBeGreaterThan(5);
    }
    expect(errorCodeOf(new Error('[CC_CONSENT_REVOKED] consent c-1 was revoked'))).toBe('CC_CONSENT_REVOKED');
    expect(errorCodeOf(new Error('[CC_NOT_A_CODE] x'))).toBeUndefined();
    expect(errorCodeOf(new Error('plain'))).toBeUndefined();
  });

  it('builds typed data that wallets sign and ethers verifies, keeping only defined fields', async () => {
    const wallet = Wallet.createRandom();
    const message = { consentId: 'c1', subjectToken: '0x' + '0'.repeat(64), grantee: 'g', products: ['p'], purpose: 'pre_loan', validUntil: 2, issuedAt: 1 };
    const t = consentTypedData({ ...message, extra: 'dropped' } as typeof message);
    expect(t.message).toEqual(message);
    expect(t.types).toEqual({ Consent: EIP712_TYPES.Consent });
    const sig = await wallet.signTypedData(t.domain, t.types, t.message);
    expect(verifyTypedData(t.domain, t.types, t.message, sig)).toBe(wallet.address);
  });
});
