/** What the regulator sees on the ledger, for assertions. */
import type { AuditRecord } from '@xinlian/chaincode';
import type { TestConsortium } from './consortium.js';

/** Every audit record of `type` (all pages), as the regulator queries them. */
export async function auditRecords(c: TestConsortium, type: string, institution?: string): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await c.regulator.ledger.auditEvents({ type, ...(institution ? { institution } : {}), limit: 500, ...(cursor ? { cursor } : {}) });
    out.push(...page.events.filter((e) => e.type === type));
    cursor = page.cursor;
  } while (cursor);
  return out;
}

/** The `denied` records the provider wrote about refusals it issued to `requester`. */
export async function refusalsRecordedFor(c: TestConsortium, requester: string): Promise<AuditRecord[]> {
  return (await auditRecords(c, 'denied', requester)).filter((e) => e['recordedBy'] === c.provider.institutionId);
}

/** How many `receipt_recorded` records name `receiptId`. */
export async function receiptRecords(c: TestConsortium, receiptId: string): Promise<number> {
  return (await auditRecords(c, 'receipt_recorded')).filter((e) => e['receiptId'] === receiptId).length;
}
