/** Maps stored blocks and transactions to the LedgerClient's BlockInfo / TransactionInfo. */
import type { BlockInfo, TransactionInfo } from '../ledger-client.js';
import { headerHashOf, publicValidationCode, type StoredBlock, type StoredTransaction } from './block.js';
import { fabricClientId } from './fabric-shim.js';

/** ISO-8601 UTC of a transaction timestamp (millisecond precision). */
export function isoOf(ts: { readonly seconds: number; readonly nanos: number }): string {
  return new Date(ts.seconds * 1000 + Math.floor(ts.nanos / 1_000_000)).toISOString();
}

export function transactionInfo(tx: StoredTransaction, blockNumber: number): TransactionInfo {
  const p = tx.proposal;
  return {
    txId: p.txId,
    blockNumber: BigInt(blockNumber),
    validationCode: publicValidationCode(tx.validationCode),
    creator: { mspId: p.creator.mspId, clientId: fabricClientId(p.creator.mspId, p.creator.certificatePem) },
    timestamp: isoOf(p.timestamp),
    function: p.fn,
  };
}

export function blockInfo(block: StoredBlock): BlockInfo {
  const { header } = block;
  return {
    number: BigInt(header.number),
    previousHash: header.previousHash,
    dataHash: header.dataHash,
    hash: headerHashOf(header),
    transactions: block.data.transactions.map((tx) => transactionInfo(tx, header.number)),
  };
}
