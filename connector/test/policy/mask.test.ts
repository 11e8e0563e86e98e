import { describe, expect, it } from 'vitest';
import { applyMask, MASKED } from '../../src/policy/index.js';

describe('applyMask', () => {
  const output = {
    score: 712,
    dimensions: { basicInfo: 70, creditHistory: 40 },
    reasons: [
      { code: 'CH01', message: 'm1' },
      { code: 'BC02', message: 'm2' },
    ],
  };

  it('masks dotted paths, inside arrays too, and leaves the input untouched', () => {
    const masked = applyMask(output, [
      'dimensions.creditHistory',
      'reasons.message',
      'absent.path',
    ]);
    expect(masked).toEqual({
      score: 712,
      dimensions: { basicInfo: 70, creditHistory: MASKED },
      reasons: [
        { code: 'CH01', message: MASKED },
        { code: 'BC02', message: MASKED },
      ],
    });
    expect(output.dimensions.creditHistory).toBe(40);
  });

  it('with no fields returns an equal copy', () => {
    expect(applyMask(output, [])).toEqual(output);
  });
});
