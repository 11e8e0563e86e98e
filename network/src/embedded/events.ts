/**
 * Chaincode event streams: replay committed blocks from a start block or checkpoint, then
 * follow new commits. Only VALID transactions' events are delivered, in block order.
 */
import type { ChaincodeEvent, CloseableAsyncIterable, EventsOptions } from '../ledger-client.js';
import type { EmbeddedLedger } from './ledger.js';

/**
 * Opens an event stream on `ledger`. Default start: the next block to be committed.
 * The stream ends when it is closed or the ledger closes.
 */
export function openEventStream(ledger: EmbeddedLedger, options: EventsOptions): CloseableAsyncIterable<ChaincodeEvent> {
  const checkpoint = options.checkpoint;
  let nextBlock = checkpoint ? Number(checkpoint.blockNumber) : options.startBlock !== undefined ? Number(options.startBlock) : ledger.height;
  let skipUntil = checkpoint?.transactionId;
  let closed = false;
  let wake: (() => void) | undefined;
  const queue: ChaincodeEvent[] = [];

  async function fill(): Promise<boolean> {
    while (queue.length === 0) {
      if (closed || ledger.closed) return false;
      if (nextBlock >= ledger.height) {
        const stop = new Promise<boolean>((resolve) => (wake = () => resolve(false)));
        const more = await Promise.race([ledger.waitForHeight(nextBlock), stop]);
        wake = undefined;
        if (!more) return false;
        continue;
      }
      const block = await ledger.readBlock(nextBlock);
      if (!block) return false;
      let skipping = skipUntil !== undefined && block.data.transactions.some((t) => t.proposal.txId === skipUntil);
      for (const tx of block.data.transactions) {
        if (skipping) {
          if (tx.proposal.txId === skipUntil) skipping = false;
          continue;
        }
        if (tx.validationCode !== 'VALID' || !tx.event) continue;
        queue.push({
          blockNumber: BigInt(nextBlock),
          transactionId: tx.proposal.txId,
          chaincodeName: tx.proposal.chaincode,
          eventName: tx.event.name,
          payload: Buffer.from(tx.event.payload, 'base64').toString('utf8'),
        });
      }
      skipUntil = undefined;
      nextBlock++;
    }
    return true;
  }

  const close = (): void => {
    closed = true;
    wake?.();
  };

  return {
    close,
    [Symbol.asyncIterator](): AsyncIterator<ChaincodeEvent> {
      return {
        async next(): Promise<IteratorResult<ChaincodeEvent>> {
          if (!(await fill())) return { value: undefined, done: true };
          return { value: queue.shift()!, done: false };
        },
        async return(): Promise<IteratorResult<ChaincodeEvent>> {
          close();
          return { value: undefined, done: true };
        },
      };
    },
  };
}
