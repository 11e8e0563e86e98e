import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isConnectorError } from '../../src/domain/errors.js';
import { isSubjectToken, subjectToken } from '../../src/domain/subject-token.js';

const KEY = 'consortium-key-for-tests-0123456789';

describe('subjectToken', () => {
  it('is 0x + HMAC-SHA256 hex of the USCC under the consortium key', () => {
    const token = subjectToken('91350100M000100Y43', KEY);
    expect(token).toBe('0x' + createHmac('sha256', KEY).update('91350100M000100Y43').digest('hex'));
    expect(isSubjectToken(token)).toBe(true);
  });

  it('differs per key and per USCC, and is stable', () => {
    const a = subjectToken('91350100M000100Y43', KEY);
    expect(subjectToken('91350100M000100Y43', KEY)).toBe(a);
    expect(subjectToken('91350100M000100Y43', KEY + 'x')).not.toBe(a);
    expect(subjectToken('91440300708461136T', KEY)).not.toBe(a);
    expect(subjectToken('91350100M000100Y43', Buffer.from(KEY))).toBe(a);
  });

  it('refuses an invalid USCC with CONN_BAD_INPUT', () => {
    expect.assertions(2);
    try {
      subjectToken('91350100M000100Y44', KEY);
    } catch (e) {
      expect(isConnectorError(e, 'CONN_BAD_INPUT')).toBe(true);
      expect((e as Error).message).toMatch(/check character/);
    }
  });

  it('refuses a short key without putting the key in the message', () => {
    expect.assertions(2);
    try {
      subjectToken('91350100M000100Y43', 'short-secret');
    } catch (e) {
      expect(isConnectorError(e, 'CONN_BAD_INPUT')).toBe(true);
      expect((e as Error).message).not.toContain('short-secret');
    }
  });
});
