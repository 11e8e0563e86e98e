import { describe, expect, it } from 'vitest';
import {
  organisationCheckCharacter,
  usccCheckCharacter,
  validateUscc,
} from '../../src/domain/uscc.js';

describe('validateUscc', () => {
  it('accepts the real examples from DOMAIN.md', () => {
    expect(validateUscc('91350100M000100Y43')).toEqual({ ok: true });
    expect(validateUscc('91440300708461136T')).toEqual({ ok: true });
  });

  it('computes the check characters of the examples', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
    expect(usccCheckCharacter('91440300708461136')).toBe('T');
    expect(organisationCheckCharacter('M000100Y')).toBe('4');
    expect(organisationCheckCharacter('70846113')).toBe('6');
  });

  it('maps organisation check 10 to X and 11 to 0', () => {
    expect(organisationCheckCharacter('00000000')).toBe('0'); // sum 0 → 11 − 0 = 11 → '0'
    expect(organisationCheckCharacter('00000006')).toBe('X'); // sum 2·6 = 12 ≡ 1 → 10 → 'X'
    expect(organisationCheckCharacter('00000005')).toBe('1'); // sum 10 → 11 − 10 = 1
  });

  it.each([
    [42, 'type'],
    ['91350100M000100Y4', 'length'],
    ['91350100M000100Y433', 'length'],
    ['91350100M00010OY43', 'charset'],
    ['91350100m000100Y43', 'charset'],
    ['91350100M000100Y53', 'organisation-check'],
    ['91350100M000100Y44', 'check-character'],
  ])('refuses %s (%s)', (input, problem) => {
    const r = validateUscc(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem).toBe(problem);
      expect(r.reason.length).toBeGreaterThan(0);
    }
  });

  it('refuses a wrong final check character for every wrong character', () => {
    const good = '91440300708461136T';
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    for (const ch of alphabet) {
      if (ch === 'T') continue;
      expect(validateUscc(good.slice(0, 17) + ch).ok).toBe(false);
    }
  });

  it('throws a RangeError for check input that is not 17 alphabet characters', () => {
    expect(() => usccCheckCharacter('9144030070846113')).toThrow(RangeError);
    expect(() => usccCheckCharacter('9144030070846113I')).toThrow(RangeError);
  });
});
