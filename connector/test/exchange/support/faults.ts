/**
 * A ledger client with faults a test switches on and off: answers or errors for chosen
 * evaluations and submits, and a replacement event stream. Everything not switched on goes
 * to the real (embedded) ledger.
 */
import type { ChaincodeEvent, CloseableAsyncIterable, EventsOptions, LedgerClient, SubmitOptions, SubmitResult } from '@xinlian/network';
import { ChaincodeError } from '@xinlian/network';

/** What a fault answers instead of the ledger: a result text, an error to throw, or undefined to pass through. */
export type Fault = (args: readonly string[]) => string | Error | undefined;

export class Faults {
  readonly evaluate = new Map<string, Fault>();
  readonly submit = new Map<string, Fault>();
  /** Replaces `chaincodeEvents` while set. */
  events?: (options: EventsOptions | undefined, real: LedgerClient) => Promise<CloseableAsyncIterable<ChaincodeEvent>>;
  /** Replaces `getHeight` while set. */
  height?: () => Promise<bigint>;
  /** Every submit name, in order. */
  readonly submitted: string[] = [];

  /** A chaincode failure that is not "absent" (`CC_INTERNAL` by default). */
  static failing(code = 'CC_INTERNAL'): Fault {
    return () => new ChaincodeError(code, `injected ${code}`);
  }
}

/** `client` with `faults` in front of it. */
export function faultyClient(client: LedgerClient, faults: Faults): LedgerClient {
  return {
    identity: client.identity,
    async submit(name: string, args: readonly string[], options?: SubmitOptions): Promise<SubmitResult> {
      faults.submitted.push(name);
      const fault = faults.submit.get(name)?.(args);
      if (fault instanceof Error) throw fault;
      return client.submit(name, args, options);
    },
    async evaluate(name, args) {
      const fault = faults.evaluate.get(name)?.(args);
      if (fault instanceof Error) throw fault;
      if (typeof fault === 'string') return fault;
      return client.evaluate(name, args);
    },
    chaincodeEvents: (options) => (faults.events ? faults.events(options, client) : client.chaincodeEvents(options)),
    getTransaction: (txId) => client.getTransaction(txId),
    getBlock: (n) => client.getBlock(n),
    getHeight: () => (faults.height ? faults.height() : client.getHeight()),
    checkIntegrity: (options) => client.checkIntegrity(options),
    close: () => client.close(),
  };
}

/** An event stream that never yields (a follower that sees nothing), closed on demand. */
export function silentStream(): CloseableAsyncIterable<ChaincodeEvent> {
  let stop: (() => void) | undefined;
  const closed = new Promise<void>((resolve) => (stop = resolve));
  return {
    close: () => stop?.(),
    async *[Symbol.asyncIterator]() {
      await closed;
    },
  };
}

/** An event stream that fails at once with `error`. */
export function brokenStream(error: Error): CloseableAsyncIterable<ChaincodeEvent> {
  return {
    close: () => undefined,
    async *[Symbol.asyncIterator]() {
      throw error;
    },
  };
}
