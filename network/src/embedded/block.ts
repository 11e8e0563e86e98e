/**
 * Stored blocks and transactions of the embedded ledger, and their hashes.
 * The header chains blocks (number, previous hash, data hash) as Fabric's does; unlike
 * Fabric, the validation codes are inside the hashed data, so editing one is detected too.
 */
import type { ValidationCode } from '../ledger-client.js';
import { createHash } from 'node:crypto';
import { canonicalJson, hashJson } from './canonical.js';
import type { proposalJson } from './proposal.js';

/** Validation codes stored with every transaction (a subset of Fabric's TxValidationCode). */
export type StoredValidationCode = ValidationCode | 'PHANTOM_READ_CONFLICT';

/** A key's version as stored: [block, tx], null = the key did not exist. */
export type StoredVersion = readonly [number, number] | null;

export type StoredRangeRead = {
  readonly start: string;
  readonly end: string;
  /** False when the chaincode stopped early: only keys up to the last one read count. */
  readonly exhausted: boolean;
  readonly reads: readonly (readonly [string, readonly [number, number]])[];
};

export type StoredRwSet = {
  readonly reads: readonly (readonly [string, StoredVersion])[];
  readonly ranges: readonly StoredRangeRead[];
  /** value base64, null = delete */
  readonly writes: readonly (readonly [string, string | null])[];
};

export type StoredTransaction = {
  readonly proposal: ReturnType<typeof proposalJson>;
  /** base64 DER ECDSA signature of the creator over the proposal */
  readonly signature: string;
  readonly response: { readonly status: number; readonly payload: string; readonly message: string };
  readonly rwset: StoredRwSet;
  /** The transaction's one chaincode event (payload base64), null when none was set. */
  readonly event: { readonly name: string; readonly payload: string } | null;
  readonly validationCode: StoredValidationCode;
};

export type BlockHeader = {
  readonly number: number;
  /** hex; '' for block 0 */
  readonly previousHash: string;
  /** hex sha256 of the canonical JSON of `data` */
  readonly dataHash: string;
};

export type BlockData = {
  /** Present in block 0 only: the channel the ledger was created for. */
  readonly config: { readonly channel: string; readonly chaincode: string } | null;
  readonly transactions: readonly StoredTransaction[];
};

export type StoredBlock = {
  readonly header: BlockHeader;
  readonly data: BlockData;
};

export function dataHashOf(data: BlockData): string {
  return hashJson(data);
}

export function headerHashOf(header: BlockHeader): string {
  return hashJson(header);
}

/** Builds a block on top of the given head. */
export function newBlock(number: number, previousHash: string, data: BlockData): StoredBlock {
  return encodeBlock(number, previousHash, data).block;
}

/** A block with its stored text (the canonical JSON of the whole block) and header hash. */
export interface EncodedBlock {
  readonly block: StoredBlock;
  readonly text: string;
  readonly hash: string;
}

/**
 * Builds a block and serialises its data once for both the data hash and the stored text:
 * the text is exactly `canonicalJson(block)` (keys sorted: `data` before `header`).
 */
export function encodeBlock(number: number, previousHash: string, data: BlockData): EncodedBlock {
  const dataText = canonicalJson(data);
  const header: BlockHeader = { number, previousHash, dataHash: createHash('sha256').update(dataText).digest('hex') };
  const headerText = canonicalJson(header);
  return {
    block: { header, data },
    text: `{"data":${dataText},"header":${headerText}}`,
    hash: createHash('sha256').update(headerText).digest('hex'),
  };
}

/** The validation code as the LedgerClient interface names it (phantom reads are read conflicts). */
export function publicValidationCode(code: StoredValidationCode): ValidationCode {
  return code === 'PHANTOM_READ_CONFLICT' ? 'MVCC_READ_CONFLICT' : code;
}
