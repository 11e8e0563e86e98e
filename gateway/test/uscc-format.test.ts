import { describe, expect, it } from 'vitest';
import { isUsccFormat } from '../src/uscc-format.js';

describe('USCC format (GB 32100-2015)', () => {
  it('accepts real codes with their check character', () => {
    expect(isUsccFormat('91350100M000100Y43')).toBe(true);
    expect(isUsccFormat('91440300708461136T')).toBe(true);
  });

  it('refuses every other check character', () => {
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    const body = '91350100M000100Y4';
    const accepted = [...alphabet].filter((c) => isUsccFormat(body + c));
    expect(accepted).toEqual(['3']);
  });

  it.each([
    ['lower case', '91350100m000100y43'],
    ['letter I (not in the alphabet)', '91350100M000100I43'],
    ['letter O', '9135010OM000100Y43'],
    ['17 characters', '91350100M000100Y4'],
    ['19 characters', '91350100M000100Y433'],
    ['spaces', ' 91350100M000100Y4'],
    ['empty', ''],
  ])('refuses %s', (_name, value) => {
    expect(isUsccFormat(value)).toBe(false);
  });

  it('refuses non-strings without throwing', () => {
    for (const v of [undefined, null, 91350100, {}, ['91350100M000100Y43']]) expect(isUsccFormat(v)).toBe(false);
  });
});
