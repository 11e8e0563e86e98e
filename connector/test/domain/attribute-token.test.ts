import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { attributeToken, blindAttributes } from '../../src/domain/attribute-token.js';
import { isConnectorError } from '../../src/domain/errors.js';

const KEY = 'consortium-key-of-at-least-16-bytes';

describe('attribute tokens', () => {
  it('is HMAC-SHA256 under the consortium key of the kind and the normalised value', () => {
    const expected = '0x' + createHmac('sha256', KEY).update('attr:phone:13800138000', 'utf8').digest('hex');
    expect(attributeToken('phone', '+86 138-0013-8000', KEY)).toBe(expected);
    expect(attributeToken('phone', '１３８ ００１３ ８０００', KEY)).toBe(expected);
    expect(attributeToken('address', '文三路 88 号 3 号楼', KEY)).toBe(attributeToken('address', '文三路88号3栋', KEY));
  });

  it('gives equal values of different kinds different tokens', () => {
    expect(attributeToken('device', 'abc123', KEY)).not.toBe(attributeToken('bankAccount', 'abc123', KEY));
  });

  it('blinds every given value and refuses one empty once normalised', () => {
    const out = blindAttributes({ phone: '13800138000', legalRepresentative: 'Zhang San' }, KEY);
    expect(Object.keys(out).sort()).toEqual(['legalRepresentative', 'phone']);
    expect(Object.values(out).every((t) => /^0x[0-9a-f]{64}$/.test(t!))).toBe(true);
    expect(JSON.stringify(out)).not.toContain('13800138000');
    try {
      attributeToken('phone', 'n/a', KEY);
      expect.unreachable();
    } catch (err) {
      expect(isConnectorError(err) && err.code).toBe('CONN_BAD_INPUT');
    }
  });
});
