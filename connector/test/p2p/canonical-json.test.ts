import { describe, expect, it } from 'vitest';
import { canonicalJson, isJsonValue } from '../../src/p2p/index.js';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: 'x' }], c: true } })).toBe('{"a":{"c":true,"d":[3,{"y":"x","z":null}]},"b":1}');
  });

  it('gives the same text for equal values built in a different order', () => {
    const one = { amount: 10, purpose: 'pre-loan', products: ['p1', 'p2'] };
    const two = { products: ['p1', 'p2'], purpose: 'pre-loan', amount: 10 };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('escapes strings as JSON does and omits undefined properties', () => {
    expect(canonicalJson({ s: 'quote " and \u2028 and 信链', gone: undefined })).toBe(JSON.stringify({ s: 'quote " and \u2028 and 信链' }));
  });

  it('refuses values JSON cannot carry exactly', () => {
    for (const bad of [Number.NaN, Infinity, 10n, () => 1, Symbol('s'), new Date(0), new Map(), [undefined]]) {
      expect(() => canonicalJson(bad)).toThrow(TypeError);
      expect(isJsonValue(bad)).toBe(false);
    }
  });

  it('refuses nesting deeper than 64 levels', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(TypeError);
  });
});
