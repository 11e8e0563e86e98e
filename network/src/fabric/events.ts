/**
 * Chaincode events that survive a peer restart: fabric-gateway's event stream ends when the
 * peer goes away, so this stream reopens it from the last delivered event (a checkpoint)
 * until it is closed. A caller that stores the last event's position can also resume after
 * its own restart by passing it as `checkpoint`.
 */
import type { ChaincodeEvent as GatewayEvent, Checkpoint as GatewayCheckpoint, Network } from '@hyperledger/fabric-gateway';
import { LedgerError } from '../errors.js';
import type { ChaincodeEvent, Checkpoint, CloseableAsyncIterable, EventsOptions } from '../ledger-client.js';
import { mapGatewayError } from './fabric-errors.js';

export interface EventStreamOptions {
  readonly network: Network;
  readonly chaincode: string;
  /** Where to start: a checkpoint, or a first block (already resolved, never "next block"). */
  readonly from: { readonly checkpoint: Checkpoint } | { readonly startBlock: bigint };
  /** Pause before reopening after a failure (default 500 ms). */
  readonly retryDelayMs?: number;
}

function gatewayCheckpoint(c: Checkpoint): GatewayCheckpoint {
  return { getBlockNumber: () => c.blockNumber, getTransactionId: () => c.transactionId };
}

const decoder = new TextDecoder();

function toEvent(e: GatewayEvent): ChaincodeEvent {
  return {
    blockNumber: e.blockNumber,
    transactionId: e.transactionId,
    chaincodeName: e.chaincodeName,
    eventName: e.eventName,
    payload: decoder.decode(e.payload),
  };
}

/** Checks and normalises the caller's EventsOptions (startBlock / checkpoint). */
export function checkEventsOptions(options: EventsOptions): void {
  const { checkpoint, startBlock } = options;
  if (checkpoint !== undefined) {
    if (typeof checkpoint !== 'object' || checkpoint === null || typeof checkpoint.blockNumber !== 'bigint' || checkpoint.blockNumber < 0n) {
      throw new LedgerError('LEDGER_BAD_REQUEST', 'checkpoint.blockNumber must be a non-negative bigint');
    }
    if (checkpoint.transactionId !== undefined && typeof checkpoint.transactionId !== 'string') {
      throw new LedgerError('LEDGER_BAD_REQUEST', 'checkpoint.transactionId must be a string');
    }
  } else if (startBlock !== undefined && (typeof startBlock !== 'bigint' || startBlock < 0n)) {
    throw new LedgerError('LEDGER_BAD_REQUEST', 'start block must be a non-negative bigint');
  }
}

export class ResumingEventStream implements CloseableAsyncIterable<ChaincodeEvent> {
  readonly #options: EventStreamOptions;
  #position: EventStreamOptions['from'];
  #current: { close(): void } | undefined;
  #closed = false;
  #wake: (() => void) | undefined;
  #onClose: (() => void) | undefined;

  constructor(options: EventStreamOptions, onClose?: () => void) {
    this.#options = options;
    this.#position = options.from;
    this.#onClose = onClose;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#current?.close();
    this.#wake?.();
    this.#onClose?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ChaincodeEvent> {
    const { network, chaincode } = this.#options;
    while (!this.#closed) {
      try {
        const position = this.#position;
        const stream = await network.getChaincodeEvents(
          chaincode,
          'checkpoint' in position ? { checkpoint: gatewayCheckpoint(position.checkpoint) } : { startBlock: position.startBlock },
        );
        this.#current = stream;
        if (this.#closed) stream.close();
        for await (const event of stream) {
          this.#position = { checkpoint: { blockNumber: event.blockNumber, transactionId: event.transactionId } };
          yield toEvent(event);
          if (this.#closed) break;
        }
      } catch (e) {
        if (this.#closed) break;
        const mapped = mapGatewayError(e, 'events');
        if (mapped.code !== 'LEDGER_UNAVAILABLE' && mapped.code !== 'LEDGER_TIMEOUT') throw mapped;
      } finally {
        this.#current?.close();
        this.#current = undefined;
      }
      if (!this.#closed) await this.#pause();
    }
  }

  #pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.#options.retryDelayMs ?? 500);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
