import type { EnterpriseRecord } from '../../src/domain/enterprise.js';
import type { Indicators } from '../../src/model/index.js';

/** Indicators at the top band of every table. */
export function newIndicators(o: Partial<Indicators> = {}): Indicators {
  return {
    registrationAgeYears: 12,
    registeredCapital: 6e7,
    industryRisk: 'low',
    headcount: 150,
    headcountTrend: 1.2,
    utilityMonths: 12,
    taxGrade: 'A',
    overdues12m: 0,
    courtRecord: 'none',
    taxPaid12m: 2e6,
    taxTrend: 1.2,
    penalties36m: 0,
    debtRatio: 0,
    revenueProxy: 4e7,
    lenders30d: 0,
    ...o,
  };
}

/** A small, stable firm (24 months of data up to 2025-06). */
export function newRecord(o: Partial<EnterpriseRecord> = {}): EnterpriseRecord {
  return {
    uscc: '91440300708461136T',
    name: 'test co',
    registeredOn: '2020-06-30',
    registeredCapital: 2e6,
    industry: 'F',
    district: '440300',
    legalRepresentative: 'P00000001',
    phone: '13800000000',
    address: 'addr',
    seriesEnd: '2025-06',
    taxPaid: Array<number>(24).fill(10_000),
    taxGrade: 'B',
    headcount: Array<number>(24).fill(10),
    electricityKwh: Array<number>(12).fill(3000),
    waterTons: Array<number>(12).fill(30),
    penalties: [],
    judgments: [],
    lending: [],
    ...o,
  };
}
