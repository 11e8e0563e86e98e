/**
 * Synthetic enterprises with distinctive raw values, so a test can search the wire for
 * them: if any of these strings crosses it, raw data has left the provider.
 */
import {
  organisationCheckCharacter,
  usccCheckCharacter,
  type EnterpriseRecord,
} from '../../../src/domain/index.js';

/** A valid USCC (GB 32100-2015) built from an 8-character organisation base. */
export function newUscc(orgBase8: string, division = '440106'): string {
  const first17 = `91${division}${orgBase8}${organisationCheckCharacter(orgBase8)}`;
  return first17 + usccCheckCharacter(first17);
}

/** A firm with 24 months of data up to 2025-06; `n` makes every raw value unique. */
export function newEnterprise(n: number, o: Partial<EnterpriseRecord> = {}): EnterpriseRecord {
  const tax = (i: number): number => 40_000 + n * 1_000 + i * 7 + 0.37;
  return {
    uscc: newUscc(`MA${String(n).padStart(2, '0')}7Q3X`),
    name: `Canton Hidden Widget Works No.${n} Ltd`,
    registeredOn: '2016-03-11',
    registeredCapital: 3_210_000.25 + n,
    industry: 'C',
    district: '440106',
    legalRepresentative: `P9${String(n).padStart(7, '0')}`,
    phone: `1397700${String(n).padStart(4, '0')}`,
    address: `No.${n} Secret Garden Road, Tianhe`,
    seriesEnd: '2025-06',
    taxPaid: Array.from({ length: 24 }, (_, i) => tax(i)),
    taxGrade: 'B',
    headcount: Array.from({ length: 24 }, (_, i) => 30 + (i % 3)),
    electricityKwh: Array<number>(12).fill(4_321 + n),
    waterTons: Array<number>(12).fill(55),
    penalties: [],
    judgments: [],
    lending: [],
    ...o,
  };
}

/**
 * The raw values of a record that must never appear in anything the provider sends (each
 * long or with letters or a decimal point, so none can occur by chance in hex or a score).
 */
export function rawValuesOf(record: EnterpriseRecord): string[] {
  return [
    record.uscc,
    record.name,
    record.phone,
    record.address,
    record.legalRepresentative,
    String(record.registeredCapital),
    ...record.taxPaid.map(String),
  ];
}
