/** The embedded ledger's LedgerClient: signs proposals as one identity and talks to the ledger in process. */
import { resultOrDenial } from '../denial.js';
import { LedgerError } from '../errors.js';
import type {
  BlockInfo, ChaincodeEvent, CloseableAsyncIterable, EventsOptions, IntegrityOptions, IntegrityReport, LedgerClient,
  LedgerIdentity, SubmitOptions, SubmitResult, TransactionInfo,
} from '../ledger-client.js';
import { openEventStream } from './events.js';
import type { EmbeddedIdentity } from './identity.js';
import { blockInfo, transactionInfo } from './info.js';
import type { EmbeddedLedger } from './ledger.js';
import { signProposal, type SignedProposal } from './proposal.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkCall(name: unknown, args: unknown): void {
  if (typeof name !== 'string' || name.length === 0) throw new LedgerError('LEDGER_BAD_REQUEST', 'transaction name must be a non-empty string');
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string' && !LONE_SURROGATE.test(a))) {
    throw new LedgerError('LEDGER_BAD_REQUEST', `arguments of ${name} must be an array of valid UTF-8 strings`);
  }
}

function aborted(txId?: string): LedgerError {
  return new LedgerError('LEDGER_TIMEOUT', 'submit aborted', txId !== undefined ? { txId } : {});
}

export class EmbeddedClient implements LedgerClient {
  readonly identity: LedgerIdentity;
  readonly #ledger: EmbeddedLedger;
  readonly #signer: EmbeddedIdentity;
  readonly #clock: () => Date;
  readonly #streams = new Set<CloseableAsyncIterable<ChaincodeEvent>>();
  #closed = false;

  constructor(ledger: EmbeddedLedger, identity: EmbeddedIdentity, clock: () => Date) {
    this.#ledger = ledger;
    this.#signer = identity;
    this.#clock = clock;
    this.identity = { mspId: identity.mspId, clientId: identity.clientId };
  }

  submit(name: string, args: readonly string[], options: SubmitOptions = {}): Promise<SubmitResult> {
    return this.#run(async () => {
      checkCall(name, args);
      const { signal } = options;
      if (signal?.aborted) throw aborted();
      const signed = await this.#sign(name, args);
      const txId = signed.proposal.txId;
      const endorsed = await this.#ledger.endorse(signed, 'submit');
      if (signal?.aborted) throw aborted(txId);
      const commit = this.#ledger.order(endorsed);
      const outcome = signal
        ? await Promise.race([
            commit,
            new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(aborted(txId)), { once: true })),
          ])
        : await commit;
      const blockNumber = BigInt(outcome.blockNumber);
      if (outcome.code === 'MVCC_READ_CONFLICT' || outcome.code === 'PHANTOM_READ_CONFLICT') {
        throw new LedgerError('LEDGER_MVCC_READ_CONFLICT', `transaction ${txId} invalidated: ${outcome.code}`, { txId });
      }
      if (outcome.code !== 'VALID') {
        throw new LedgerError('LEDGER_INVALID_TRANSACTION', `transaction ${txId} invalidated: ${outcome.code}`, { txId });
      }
      const result = resultOrDenial(endorsed.payload.toString('utf8'), { txId, blockNumber });
      return { result, txId, blockNumber };
    });
  }

  evaluate(name: string, args: readonly string[]): Promise<string> {
    return this.#run(async () => {
      checkCall(name, args);
      const signed = await this.#sign(name, args);
      const endorsed = await this.#ledger.endorse(signed, 'evaluate');
      return resultOrDenial(endorsed.payload.toString('utf8'), { txId: signed.proposal.txId });
    });
  }

  async chaincodeEvents(options: EventsOptions = {}): Promise<CloseableAsyncIterable<ChaincodeEvent>> {
    this.#assertOpen();
    if (this.#ledger.closed) throw new LedgerError('LEDGER_UNAVAILABLE', 'the embedded ledger is closed');
    const start = options.checkpoint?.blockNumber ?? options.startBlock;
    if (start !== undefined && (typeof start !== 'bigint' || start < 0n)) {
      throw new LedgerError('LEDGER_BAD_REQUEST', 'start block must be a non-negative bigint');
    }
    const stream = openEventStream(this.#ledger, options);
    const tracked: CloseableAsyncIterable<ChaincodeEvent> = {
      close: () => {
        this.#streams.delete(tracked);
        stream.close();
      },
      [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator](),
    };
    this.#streams.add(tracked);
    return tracked;
  }

  getTransaction(txId: string): Promise<TransactionInfo | undefined> {
    return this.#run(async () => {
      if (typeof txId !== 'string') throw new LedgerError('LEDGER_BAD_REQUEST', 'txId must be a string');
      const at = await this.#ledger.txLocation(txId);
      const tx = at ? (await this.#ledger.readBlock(at.block))?.data.transactions[at.index] : undefined;
      return tx && at ? transactionInfo(tx, at.block) : undefined;
    });
  }

  getBlock(blockNumber: bigint): Promise<BlockInfo | undefined> {
    return this.#run(async () => {
      if (typeof blockNumber !== 'bigint') throw new LedgerError('LEDGER_BAD_REQUEST', 'block number must be a bigint');
      if (blockNumber < 0n || blockNumber > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
      const block = await this.#ledger.readBlock(Number(blockNumber));
      return block ? blockInfo(block) : undefined;
    });
  }

  getHeight(): Promise<bigint> {
    return this.#run(async () => BigInt(this.#ledger.height));
  }

  checkIntegrity(options: IntegrityOptions = {}): Promise<IntegrityReport> {
    return this.#run(() => this.#ledger.checkIntegrity(options));
  }

  /** Closes this client and its event streams (not the ledger). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const s of [...this.#streams]) s.close();
  }

  #sign(name: string, args: readonly string[]): Promise<SignedProposal> {
    const target = { channel: this.#ledger.channel, chaincode: this.#ledger.chaincode };
    const now = this.#clock();
    if (!(now instanceof Date) || Number.isNaN(now.getTime()) || now.getTime() < 0) {
      throw new LedgerError('LEDGER_BAD_REQUEST', 'the client clock returned an invalid date');
    }
    return signProposal(this.#signer, target, name, args, now);
  }

  #run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new LedgerError('LEDGER_UNAVAILABLE', 'the ledger client is closed'));
    return this.#ledger.run(fn);
  }

  #assertOpen(): void {
    if (this.#closed) throw new LedgerError('LEDGER_UNAVAILABLE', 'the ledger client is closed');
  }
}
