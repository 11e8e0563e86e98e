/**
 * A ledger client that holds submits of chosen transactions, so a test can stop a connector
 * at the exact point where a write has been decided (and kept in its outbox) but has not yet
 * reached the ledger: what a crash at that point leaves behind.
 */
import type { LedgerClient, SubmitOptions, SubmitResult } from '@xinlian/network';
import { LedgerError } from '@xinlian/network';

export class SubmitGate {
  readonly #held = new Set<string>();
  readonly #arrivals: (() => void)[] = [];
  readonly #parked: { pass: () => void; fail: (e: Error) => void }[] = [];
  #arrived = 0;

  /** Holds every later submit of `name` (e.g. `receipts:Record`) until {@link crash}. */
  hold(name: string): void {
    this.#held.add(name);
  }

  /** Resolves once `n` held submits are waiting. */
  async arrived(n = 1): Promise<void> {
    while (this.#arrived < n) await new Promise<void>((resolve) => this.#arrivals.push(resolve));
  }

  /** Fails every held submit as a dead process would never finish them; holds no more. */
  crash(): void {
    this.#held.clear();
    for (const { fail } of this.#parked.splice(0)) fail(new LedgerError('LEDGER_UNAVAILABLE', 'the process crashed'));
  }

  /** Lets every held submit go on to the ledger; holds no more. */
  release(): void {
    this.#held.clear();
    for (const { pass } of this.#parked.splice(0)) pass();
  }

  /** @internal */
  async pass(name: string): Promise<void> {
    if (!this.#held.has(name)) return;
    const parked = new Promise<void>((pass, fail) => this.#parked.push({ pass, fail }));
    this.#arrived++;
    for (const notify of this.#arrivals.splice(0)) notify();
    await parked;
  }
}

/** `client`, with its submits passing through `gate`. */
export function gatedClient(client: LedgerClient, gate: SubmitGate): LedgerClient {
  return {
    identity: client.identity,
    async submit(name: string, args: readonly string[], options?: SubmitOptions): Promise<SubmitResult> {
      await gate.pass(name);
      return client.submit(name, args, options);
    },
    evaluate: (name, args) => client.evaluate(name, args),
    chaincodeEvents: (options) => client.chaincodeEvents(options),
    getTransaction: (txId) => client.getTransaction(txId),
    getBlock: (n) => client.getBlock(n),
    getHeight: () => client.getHeight(),
    checkIntegrity: () => client.checkIntegrity(),
    close: () => client.close(),
  };
}
