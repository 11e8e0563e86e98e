/** Parses Fabric blocks (as returned by qscc) into the LedgerClient's BlockInfo / TransactionInfo. */
import { X509Certificate, verify } from 'node:crypto';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import type { BlockInfo, TransactionInfo } from '../ledger-client.js';
import { fabricClientId } from '../embedded/fabric-shim.js';
import { dataHash, headerHash } from './block-hash.js';
import { publicValidationCode } from './fabric-errors.js';

/** A parsed block with what the integrity check needs beside the public info. */
export interface ParsedBlock {
  readonly info: BlockInfo;
  /** True when the stored data hash equals the hash of the block's data. */
  readonly dataHashMatches: boolean;
  /** One message per endorser transaction whose creator signature does not verify. */
  readonly signatureProblems: readonly string[];
}

interface ParsedEnvelope {
  readonly info?: TransactionInfo;
  readonly signatureProblem?: string;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function isoOf(ts: { getSeconds(): number; getNanos(): number } | undefined): string {
  if (!ts) return new Date(0).toISOString();
  return new Date(ts.getSeconds() * 1000 + Math.floor(ts.getNanos() / 1_000_000)).toISOString();
}

/** The function name of an endorser transaction: the first argument of its invocation. */
function functionOf(transactionBytes: Uint8Array): string {
  const tx = peer.Transaction.deserializeBinary(transactionBytes);
  const action = tx.getActionsList()[0];
  if (!action) return '';
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const proposalPayload = peer.ChaincodeProposalPayload.deserializeBinary(actionPayload.getChaincodeProposalPayload_asU8());
  const spec = peer.ChaincodeInvocationSpec.deserializeBinary(proposalPayload.getInput_asU8()).getChaincodeSpec();
  const first = spec?.getInput()?.getArgsList_asU8()[0];
  return first ? Buffer.from(first).toString('utf8') : '';
}

function verifySignature(certificatePem: string, payload: Uint8Array, signature: Uint8Array): boolean {
  try {
    const key = new X509Certificate(certificatePem).publicKey;
    return verify('sha256', payload, { key, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}

function parseEnvelope(bytes: Uint8Array, blockNumber: bigint, validation: number): ParsedEnvelope {
  const envelope = common.Envelope.deserializeBinary(bytes);
  const payloadBytes = envelope.getPayload_asU8();
  const payload = common.Payload.deserializeBinary(payloadBytes);
  const header = payload.getHeader();
  if (!header) return {};
  const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
  if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return {};
  const creator = msp.SerializedIdentity.deserializeBinary(
    common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8()).getCreator_asU8(),
  );
  const mspId = creator.getMspid();
  const certificatePem = Buffer.from(creator.getIdBytes_asU8()).toString('utf8');
  const txId = channelHeader.getTxId();
  let clientId = '';
  try {
    clientId = fabricClientId(mspId, certificatePem);
  } catch {
    clientId = '';
  }
  const info: TransactionInfo = {
    txId,
    blockNumber,
    validationCode: publicValidationCode(validation),
    creator: { mspId, clientId },
    timestamp: isoOf(channelHeader.getTimestamp()),
    function: functionOf(payload.getData_asU8()),
  };
  const signed = verifySignature(certificatePem, payloadBytes, envelope.getSignature_asU8());
  return signed ? { info } : { info, signatureProblem: `transaction ${txId}: creator signature does not verify` };
}

/**
 * Parses a serialized `common.Block`. Config transactions are not listed in `transactions`.
 *
 * @throws Error when the bytes are not a block (callers map it to a coded error).
 */
export function parseBlock(bytes: Uint8Array): ParsedBlock {
  const block = common.Block.deserializeBinary(bytes);
  const header = block.getHeader();
  if (!header) throw new Error('block has no header');
  const number = BigInt(header.getNumber());
  const entries = block.getData()?.getDataList_asU8() ?? [];
  const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
  const transactions: TransactionInfo[] = [];
  const signatureProblems: string[] = [];
  entries.forEach((entry, i) => {
    const parsed = parseEnvelope(entry, number, filter[i] ?? peer.TxValidationCode.INVALID_OTHER_REASON);
    if (parsed.info) transactions.push(parsed.info);
    if (parsed.signatureProblem) signatureProblems.push(parsed.signatureProblem);
  });
  const previous = header.getPreviousHash_asU8();
  const stored = header.getDataHash_asU8();
  return {
    info: {
      number,
      previousHash: hex(previous),
      dataHash: hex(stored),
      hash: hex(headerHash(number, previous, stored)),
      transactions,
    },
    dataHashMatches: dataHash(entries).equals(Buffer.from(stored)),
    signatureProblems,
  };
}
