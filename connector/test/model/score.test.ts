import { describe, expect, it } from 'vitest';
import {
  extractIndicators,
  gradeOf,
  MODEL_VERSION,
  pdOf,
  scoreEnterprise,
  scoreIndicators,
} from '../../src/model/index.js';
import { newIndicators, newRecord } from './builders.js';

describe('scoreIndicators (hand-computed)', () => {
  it('top bands everywhere: 1000 points, grade A, no reasons', () => {
    const s = scoreIndicators(newIndicators(), '2025-06-30');
    expect(s).toMatchObject({
      modelVersion: 'sme-scorecard-1.0.0',
      score: 1000,
      grade: 'A',
      reasons: [],
    });
    // odds 19 · 2^(400/50) = 4864 → pd = 1 / 4865
    expect(s.pd).toBe(0.000206);
  });

  it('a mixed case: 538 points, grade D, the four costliest indicators as reasons', () => {
    const s = scoreIndicators(
      newIndicators({
        registrationAgeYears: 2, // 50
        registeredCapital: 3e6, // 60
        industryRisk: 'high', // 40 → basicInfo .5·50 + .3·60 + .2·40 = 51
        headcount: 3, // 40
        headcountTrend: 1.0, // 80
        utilityMonths: 12, // 100 → operationalStability 16 + 24 + 30 = 70
        taxGrade: 'C', // 35
        overdues12m: 1, // 50
        courtRecord: 'enforcing', // 20 → creditHistory 14 + 17.5 + 5 = 36.5
        taxPaid12m: 1e5, // 55
        taxTrend: 0.8, // 45
        penalties36m: 2, // 30 → businessCondition 22 + 15.75 + 7.5 = 45.25
        debtRatio: 0.3, // 70
        lenders30d: 2, // 70
        revenueProxy: 2e6, // 70 → repaymentCapacity 31.5 + 21 + 17.5 = 70
      }),
      '2025-06-30',
    );
    // composite .15·51 + .2·70 + .25·36.5 + .2·45.25 + .2·70 = 53.825 → 538
    expect(s.score).toBe(538);
    expect(s.grade).toBe('D');
    expect(s.dimensions.basicInfo).toBe(51);
    expect(s.dimensions.operationalStability).toBe(70);
    expect(s.dimensions.creditHistory).toBe(36.5);
    expect(s.dimensions.businessCondition).toBeCloseTo(45.25, 1);
    expect(s.dimensions.repaymentCapacity).toBe(70);
    // lost = 10 · W_dim · w · (100 − points): CH01 65, CH03 50, OS01 48, CH02 43.75
    expect(s.reasons.map((r) => [r.code, r.pointsLost])).toEqual([
      ['CH01', 65],
      ['CH03', 50],
      ['OS01', 48],
      ['CH02', 43.8],
    ]);
    expect(s.reasons[0]?.message).toBe('tax credit grade: grade C');
    // odds 19 · 2^(−62/50) ≈ 8.0446 → pd ≈ 0.1106
    expect(s.pd).toBeCloseTo(0.1106, 4);
  });

  it('band edges: the lower bound of a band belongs to it', () => {
    expect(scoreIndicators(newIndicators({ registrationAgeYears: 10 }), 'x').score).toBe(1000);
    expect(scoreIndicators(newIndicators({ registrationAgeYears: 9.999 }), 'x').score).toBe(989); // BI01 85: 1000 − 10·.15·.5·15 = 988.75
    expect(scoreIndicators(newIndicators({ lenders30d: 4 }), 'x').reasons[0]).toMatchObject({
      code: 'RC02',
      pointsLost: 54,
    });
  });
});

describe('grades and scaling', () => {
  it.each([
    [1000, 'A'],
    [800, 'A'],
    [799, 'B'],
    [700, 'B'],
    [699, 'C'],
    [600, 'C'],
    [599, 'D'],
    [500, 'D'],
    [499, 'E'],
    [0, 'E'],
  ])('%i points is grade %s', (score, grade) => {
    expect(gradeOf(score)).toBe(grade);
  });

  it('600 points is odds 19:1 (pd 5 %) and 50 more points double the odds', () => {
    expect(pdOf(600)).toBeCloseTo(0.05, 10);
    expect((1 - pdOf(650)) / pdOf(650)).toBeCloseTo(38, 8);
  });
});

describe('extractIndicators and scoreEnterprise', () => {
  const asOf = '2025-06-30';

  it('computes indicators from the record, ignoring events after asOf and negatives older than 5 years', () => {
    const r = newRecord({
      judgments: [
        { on: '2019-01-01', amount: 1, status: 'enforcing', dishonestDebtor: true },
        { on: '2024-01-01', amount: 1, status: 'closed', dishonestDebtor: false },
      ],
      penalties: [
        { on: '2021-01-01', amount: 1, authority: 'tax' },
        { on: '2024-05-01', amount: 1, authority: 'tax' },
      ],
      lending: [
        {
          lenderId: 'lender-1',
          type: 'application',
          amount: 100_000,
          occurredAt: '2025-06-10T02:00:00.000Z',
        },
        {
          lenderId: 'lender-1',
          type: 'loan',
          amount: 100_000,
          occurredAt: '2025-06-12T02:00:00.000Z',
        },
        {
          lenderId: 'lender-3',
          type: 'application',
          amount: 100_000,
          occurredAt: '2025-06-20T02:00:00.000Z',
        },
        {
          lenderId: 'lender-4',
          type: 'application',
          amount: 100_000,
          occurredAt: '2025-07-01T02:00:00.000Z',
        },
        {
          lenderId: 'lender-1',
          type: 'overdue',
          amount: 1,
          occurredAt: '2025-01-01T00:00:00.000Z',
        },
      ],
    });
    const x = extractIndicators(r, asOf);
    expect(x).toMatchObject({
      registrationAgeYears: expect.closeTo(5, 2),
      headcount: 10,
      headcountTrend: 1,
      utilityMonths: 12,
      taxPaid12m: 120_000,
      taxTrend: 1,
      courtRecord: 'closed',
      penalties36m: 1,
      overdues12m: 1,
      lenders30d: 2,
      revenueProxy: 2_400_000,
    });
    expect(x.debtRatio).toBeCloseTo(100_000 / 2_400_000, 10);
  });

  it('is deterministic and stamps the model version and date', () => {
    const a = scoreEnterprise(newRecord(), asOf);
    expect(scoreEnterprise(newRecord(), asOf)).toEqual(a);
    expect(a.modelVersion).toBe(MODEL_VERSION);
    expect(a.asOf).toBe(asOf);
  });

  it('scores a shell (no staff, no tax, no utilities) below a stable firm', () => {
    const shell = newRecord({
      registeredOn: '2025-01-01',
      taxPaid: Array<number>(24).fill(0),
      headcount: Array<number>(24).fill(0),
      electricityKwh: Array<number>(12).fill(0),
      taxGrade: 'M',
    });
    expect(scoreEnterprise(shell, asOf).score).toBeLessThan(
      scoreEnterprise(newRecord(), asOf).score - 200,
    );
  });

  it('refuses a malformed record or date with CONN_BAD_INPUT', () => {
    expect(() => scoreEnterprise(newRecord(), '30/06/2025')).toThrow(
      expect.objectContaining({ code: 'CONN_BAD_INPUT' }),
    );
    expect(() => scoreEnterprise(newRecord({ taxPaid: [1] }), asOf)).toThrow(
      expect.objectContaining({ code: 'CONN_BAD_INPUT' }),
    );
  });
});
