/** Reads of the channel's blocks through the peer's `qscc` system chaincode. */
import type { Network } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import { LedgerError } from '../errors.js';
import type { TransactionInfo } from '../ledger-client.js';
import { parseBlock, type ParsedBlock } from './blocks.js';
import { mapGatewayError } from './fabric-errors.js';

/** qscc's answer for an unknown transaction id (the only prose this client matches on qscc). */
const NO_SUCH_TX = /no such transaction ID|not found/i;

export class ChannelQueries {
  readonly #network: Network;

  constructor(network: Network) {
    this.#network = network;
  }

  async #call(fn: string, ...args: string[]): Promise<Uint8Array> {
    try {
      return await this.#network.getContract('qscc').evaluateTransaction(fn, this.#network.getName(), ...args);
    } catch (e) {
      throw mapGatewayError(e, 'query');
    }
  }

  /**
   * Height and hash of the current block.
   *
   * @throws LedgerError `LEDGER_UNAVAILABLE` / `LEDGER_TIMEOUT` when the peer cannot answer.
   */
  async chainInfo(): Promise<{ height: bigint; currentBlockHash: string }> {
    const info = common.BlockchainInfo.deserializeBinary(await this.#call('GetChainInfo'));
    return { height: BigInt(info.getHeight()), currentBlockHash: Buffer.from(info.getCurrentblockhash_asU8()).toString('hex') };
  }

  /**
   * The parsed block `n`, or undefined past the current height.
   *
   * @throws LedgerError `LEDGER_UNAVAILABLE` / `LEDGER_TIMEOUT`; `LEDGER_INVALID_TRANSACTION` for an unparseable block.
   */
  async block(n: bigint, knownHeight?: bigint): Promise<ParsedBlock | undefined> {
    const height = knownHeight ?? (await this.chainInfo()).height;
    if (n < 0n || n >= height) return undefined;
    const bytes = await this.#call('GetBlockByNumber', n.toString());
    return parse(bytes, `block ${n.toString()}`);
  }

  /**
   * The serialised block `n` as the peer stores it (a `common.Block`), or undefined past the
   * current height: for tools that inspect everything a block carries.
   *
   * @throws LedgerError `LEDGER_UNAVAILABLE` / `LEDGER_TIMEOUT` when the peer cannot answer.
   */
  async blockBytes(n: bigint): Promise<Uint8Array | undefined> {
    const height = (await this.chainInfo()).height;
    if (n < 0n || n >= height) return undefined;
    return this.#call('GetBlockByNumber', n.toString());
  }

  /**
   * The committed transaction `txId`, or undefined when the channel has none with that id.
   *
   * @throws LedgerError `LEDGER_UNAVAILABLE` / `LEDGER_TIMEOUT` when the peer cannot answer.
   */
  async transaction(txId: string): Promise<TransactionInfo | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await this.#network.getContract('qscc').evaluateTransaction('GetBlockByTxID', this.#network.getName(), txId);
    } catch (e) {
      const mapped = mapGatewayError(e, 'query');
      if (mapped.code === 'LEDGER_ENDORSEMENT_FAILED' && NO_SUCH_TX.test(mapped.message)) return undefined;
      throw mapped;
    }
    return parse(bytes, `block of ${txId}`)?.info.transactions.find((t) => t.txId === txId);
  }
}

function parse(bytes: Uint8Array, what: string): ParsedBlock {
  try {
    return parseBlock(bytes);
  } catch (e) {
    throw new LedgerError('LEDGER_INVALID_TRANSACTION', `${what} could not be parsed: ${(e as Error).message}`, { cause: e });
  }
}
