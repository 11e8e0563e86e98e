import type { EnterpriseRecord } from '../domain/enterprise.js';
import type { RingSubject } from './ring-detector.js';

/** The detector's view of a stored enterprise: identifiers and its applications to lenders. */
export function ringSubjectOf(record: Pick<EnterpriseRecord, 'uscc' | 'phone' | 'address' | 'legalRepresentative' | 'lending'>): RingSubject {
  return {
    key: record.uscc,
    phone: record.phone,
    address: record.address,
    legalRepresentative: record.legalRepresentative,
    applications: record.lending.filter((e) => e.type === 'application').map((e) => ({ lender: e.lenderId, atMs: Date.parse(e.occurredAt) })),
  };
}
