/** The Fabric LedgerClient: one institution's identity talking to its gateway peer. */
import type { Contract, Network, Status, SubmittedTransaction } from '@hyperledger/fabric-gateway';
import { resultOrDenial } from '../denial.js';
import { LedgerError } from '../errors.js';
import type {
  BlockInfo, ChaincodeEvent, CloseableAsyncIterable, EventsOptions, IntegrityReport, LedgerClient,
  LedgerIdentity, SubmitOptions, SubmitResult, TransactionInfo,
} from '../ledger-client.js';
import type { GatewaySession } from './connection.js';
import { checkEventsOptions, ResumingEventStream } from './events.js';
import { invalidTransaction, mapGatewayError } from './fabric-errors.js';
import { checkChain } from './integrity.js';
import type { ResolvedTimeouts } from './options.js';
import { ChannelQueries } from './qscc.js';

const decoder = new TextDecoder();
const RETRYABLE = new Set(['LEDGER_UNAVAILABLE', 'LEDGER_TIMEOUT']);

function checkCall(name: unknown, args: unknown): void {
  if (typeof name !== 'string' || name.length === 0) throw new LedgerError('LEDGER_BAD_REQUEST', 'transaction name must be a non-empty string');
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
    throw new LedgerError('LEDGER_BAD_REQUEST', `arguments of ${name} must be an array of strings`);
  }
}

function aborted(txId?: string): LedgerError {
  return new LedgerError('LEDGER_TIMEOUT', 'submit aborted', txId !== undefined ? { txId } : {});
}

/** Resolves like `work`, or rejects with LEDGER_TIMEOUT as soon as `signal` aborts. */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, txId: string): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(aborted(txId));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted(txId));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class FabricLedgerClient implements LedgerClient {
  readonly identity: LedgerIdentity;
  readonly #session: GatewaySession;
  readonly #network: Network;
  readonly #contract: Contract;
  readonly #queries: ChannelQueries;
  readonly #chaincode: string;
  readonly #timeouts: ResolvedTimeouts;
  readonly #streams = new Set<ResumingEventStream>();
  #closed = false;

  constructor(session: GatewaySession, target: { channel: string; chaincode: string }, identity: LedgerIdentity, timeouts: ResolvedTimeouts) {
    this.#session = session;
    this.#network = session.gateway.getNetwork(target.channel);
    this.#contract = this.#network.getContract(target.chaincode);
    this.#queries = new ChannelQueries(this.#network);
    this.#chaincode = target.chaincode;
    this.identity = identity;
    this.#timeouts = timeouts;
  }

  async submit(name: string, args: readonly string[], options: SubmitOptions = {}): Promise<SubmitResult> {
    this.#assertOpen();
    checkCall(name, args);
    const { signal } = options;
    if (signal?.aborted) throw aborted();
    const proposal = this.#contract.newProposal(name, { arguments: [...args] });
    const txId = proposal.getTransactionId();
    const transaction = await unlessAborted(proposal.endorse(), signal, txId).catch((e: unknown) => {
      throw mapGatewayError(e, 'endorse', txId);
    });
    const result = decoder.decode(transaction.getResult());
    const submitted = await unlessAborted(transaction.submit(), signal, txId).catch((e: unknown) => {
      throw mapGatewayError(e, 'submit', txId);
    });
    const status = await unlessAborted(this.#commitStatus(submitted, txId), signal, txId);
    if (!status.successful) throw invalidTransaction(status.code, txId);
    return { result: resultOrDenial(result, { txId, blockNumber: status.blockNumber }), txId, blockNumber: status.blockNumber };
  }

  async evaluate(name: string, args: readonly string[]): Promise<string> {
    this.#assertOpen();
    checkCall(name, args);
    const proposal = this.#contract.newProposal(name, { arguments: [...args] });
    const txId = proposal.getTransactionId();
    const bytes = await proposal.evaluate().catch((e: unknown) => {
      throw mapGatewayError(e, 'evaluate', txId);
    });
    return resultOrDenial(decoder.decode(bytes), { txId });
  }

  async chaincodeEvents(options: EventsOptions = {}): Promise<CloseableAsyncIterable<ChaincodeEvent>> {
    this.#assertOpen();
    checkEventsOptions(options);
    const from = options.checkpoint
      ? { checkpoint: options.checkpoint }
      : { startBlock: options.startBlock ?? (await this.#queries.chainInfo()).height };
    const stream: ResumingEventStream = new ResumingEventStream(
      { network: this.#network, chaincode: this.#chaincode, from },
      () => this.#streams.delete(stream),
    );
    this.#streams.add(stream);
    return stream;
  }

  async getTransaction(txId: string): Promise<TransactionInfo | undefined> {
    this.#assertOpen();
    if (typeof txId !== 'string') throw new LedgerError('LEDGER_BAD_REQUEST', 'txId must be a string');
    if (!/^[0-9a-f]{64}$/.test(txId)) return undefined;
    return this.#queries.transaction(txId);
  }

  async getBlock(blockNumber: bigint): Promise<BlockInfo | undefined> {
    this.#assertOpen();
    if (typeof blockNumber !== 'bigint') throw new LedgerError('LEDGER_BAD_REQUEST', 'block number must be a bigint');
    return (await this.#queries.block(blockNumber))?.info;
  }

  async getHeight(): Promise<bigint> {
    this.#assertOpen();
    return (await this.#queries.chainInfo()).height;
  }

  /** The serialised block `n` (a protobuf `common.Block`, payloads as written), or undefined past the height. */
  async blockBytes(blockNumber: bigint): Promise<Uint8Array | undefined> {
    this.#assertOpen();
    if (typeof blockNumber !== 'bigint') throw new LedgerError('LEDGER_BAD_REQUEST', 'block number must be a bigint');
    return this.#queries.blockBytes(blockNumber);
  }

  /** Re-verifies the chain through qscc. The world state lives in the peers: there is no `deep` check here. */
  async checkIntegrity(): Promise<IntegrityReport> {
    this.#assertOpen();
    return checkChain(this.#queries);
  }

  /** Closes the event streams, the gateway session and the gRPC channel. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const stream of [...this.#streams]) stream.close();
    this.#session.gateway.close();
    this.#session.grpcClient.close();
  }

  /** Commit status, asked again while the peer is unreachable, within the commit deadline. */
  async #commitStatus(submitted: SubmittedTransaction, txId: string): Promise<Status> {
    const until = Date.now() + this.#timeouts.commitMs;
    for (;;) {
      try {
        return await submitted.getStatus({ deadline: until });
      } catch (e) {
        const mapped = mapGatewayError(e, 'commit', txId);
        if (!RETRYABLE.has(mapped.code) || Date.now() + 250 >= until || this.#closed) throw mapped;
        await sleep(250);
      }
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new LedgerError('LEDGER_UNAVAILABLE', 'the ledger client is closed');
  }
}
