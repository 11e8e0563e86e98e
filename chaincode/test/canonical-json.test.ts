import { CANONICAL_JSON_MAX_DEPTH, canonicalJson } from '@xinlian/chaincode';
import { describe, expect, it } from 'vitest';

describe('canonicalJson', () => {
  it('sorts keys at every level, no whitespace, omits undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined, x: 2 }], c: 'é' } })).toBe('{"a":{"c":"é","d":[3,{"x":2,"z":1}]},"b":1}');
    expect(canonicalJson({ b: [], a: {} })).toBe('{"a":{},"b":[]}');
    expect(canonicalJson([null, true, 'x', -0.5])).toBe('[null,true,"x",-0.5]');
    expect(canonicalJson('s')).toBe('"s"');
    // UTF-16 code unit order, not locale order
    expect(canonicalJson({ b: 1, B: 2, é: 3, a: 4 })).toBe('{"B":2,"a":4,"b":1,"é":3}');
  });

  it('gives the same text for equal values built in different orders', () => {
    expect(canonicalJson({ x: { q: 1, p: [1, 2] }, y: 2 })).toBe(canonicalJson({ y: 2, x: { p: [1, 2], q: 1 } }));
  });

  it('accepts null-prototype objects and keeps a __proto__ member as data', () => {
    const o = Object.create(null) as Record<string, unknown>;
    o.k = 1;
    expect(canonicalJson(o)).toBe('{"k":1}');
    expect(canonicalJson(JSON.parse('{"__proto__":{"a":1},"b":2}'))).toBe('{"__proto__":{"a":1},"b":2}');
  });

  it('refuses what JSON cannot carry faithfully', () => {
    class Thing {
      a = 1;
    }
    const refused: unknown[] = [
      undefined,
      [1, undefined],
      { n: Number.NaN },
      { n: Number.POSITIVE_INFINITY },
      { n: 1n },
      { f: () => 1 },
      { s: Symbol('s') },
      { d: new Date(0) },
      new Thing(),
      { m: new Map() },
      [new Uint8Array(1)],
    ];
    for (const value of refused) expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it('accepts nesting up to 64 levels and refuses deeper', () => {
    const nest = (levels: number): unknown => {
      let v: unknown = 0;
      for (let i = 0; i < levels; i += 1) v = i % 2 === 0 ? [v] : { k: v };
      return v;
    };
    expect(CANONICAL_JSON_MAX_DEPTH).toBe(64);
    expect(() => canonicalJson(nest(64))).not.toThrow();
    expect(() => canonicalJson(nest(65))).toThrow(/nesting deeper than 64/);
  });
});
