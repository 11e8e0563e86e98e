/**
 * Scans everything a demo run put on the embedded ledger — every block's proposals, write
 * sets, responses and events (base64 decoded), and every chaincode event payload as the
 * event stream delivers it — for plain identifiers of enterprises: USCCs and names.
 */
import type { EmbeddedLedger, LedgerClient } from '@xinlian/network';
import type { E2E } from './harness.js';

const decode = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');

/** Every enterprise identifier the provider holds: USCCs and names. */
export async function enterpriseIdentifiers(e2e: E2E): Promise<string[]> {
  const out: string[] = [];
  for await (const record of e2e.provider.store.enterprises.values()) out.push(record.uscc, record.name);
  return out;
}

/** The text of every block of the embedded ledger, payloads decoded. */
export async function ledgerTexts(ledger: EmbeddedLedger): Promise<{ block: number; text: string }[]> {
  const out: { block: number; text: string }[] = [];
  for (let n = 0; n < ledger.height; n++) {
    const block = (await ledger.readBlock(n))!;
    const parts = [JSON.stringify(block)];
    for (const tx of block.data.transactions) {
      parts.push(decode(tx.response.payload));
      for (const [, value] of tx.rwset.writes) if (value !== null) parts.push(decode(value));
      if (tx.event) parts.push(decode(tx.event.payload));
    }
    out.push({ block: n, text: parts.join('\n') });
  }
  return out;
}

/**
 * Every chaincode event payload of the committed blocks, as the event stream delivers them
 * (its count is checked against the blocks: the stream must deliver each valid event once).
 */
export async function eventPayloads(ledger: EmbeddedLedger, client: Pick<LedgerClient, 'chaincodeEvents'>): Promise<{ block: bigint; payload: string }[]> {
  let expected = 0;
  const height = ledger.height;
  for (let n = 0; n < height; n++) {
    for (const tx of (await ledger.readBlock(n))!.data.transactions) if (tx.validationCode === 'VALID' && tx.event) expected++;
  }
  const out: { block: bigint; payload: string }[] = [];
  if (expected === 0) return out;
  const events = await client.chaincodeEvents({ startBlock: 0n });
  try {
    for await (const e of events) {
      if (e.blockNumber >= BigInt(height)) break;
      out.push({ block: e.blockNumber, payload: e.payload });
      if (out.length === expected) break;
    }
  } finally {
    events.close();
  }
  if (out.length !== expected) throw new Error(`the event stream delivered ${out.length} events of the first ${height} blocks, the blocks hold ${expected}`);
  return out;
}

/**
 * Where any identifier occurs in the texts (case-insensitively for USCCs); empty when none does.
 */
export function findIdentifiers(identifiers: readonly string[], texts: readonly { where: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { where, text } of texts) {
    const upper = text.toUpperCase();
    for (const id of identifiers) {
      if (text.includes(id) || upper.includes(id.toUpperCase())) found.push(`${id} in ${where}`);
    }
  }
  return found;
}
