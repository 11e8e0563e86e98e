/**
 * Runs the compiled contract classes over {@link MemoryStub}s: submit (commit on success),
 * evaluate (never commits), a settable clock, committed events.
 */
import { contracts } from '@xinlian/chaincode';
import { MemoryStub, MemoryWorld, newContext, type Identity } from './memory-stub.js';

type TxFunction = (ctx: unknown, ...args: string[]) => Promise<string>;

export interface CommittedEvent {
  txId: string;
  name: string;
  payload: Record<string, unknown>;
}

export class MemoryLedger {
  readonly world = new MemoryWorld();
  readonly events: CommittedEvent[] = [];
  /** Transaction time, ms since the epoch. */
  now = Date.parse('2026-01-10T00:00:00.000Z');
  #seq = 0;
  readonly #instances = new Map<string, Record<string, unknown>>();

  constructor() {
    for (const C of contracts) {
      const instance = new C() as unknown as Record<string, unknown> & { getName(): string };
      this.#instances.set(instance.getName(), instance);
    }
  }

  advance(ms: number): void {
    this.now += ms;
  }

  #fn(name: string): { instance: Record<string, unknown>; fn: TxFunction } {
    const [contract, fnName] = name.split(':') as [string, string];
    const instance = this.#instances.get(contract);
    const fn = instance?.[fnName];
    if (!instance || typeof fn !== 'function') throw new Error(`no transaction ${name}`);
    return { instance, fn: fn as TxFunction };
  }

  /** Runs and commits a transaction; returns its result string and tx id. Throws what the chaincode throws. */
  async submit(identity: Identity, name: string, args: string[]): Promise<{ result: string; txId: string }> {
    const txId = `tx${String(++this.#seq).padStart(6, '0')}`;
    const stub = new MemoryStub(this.world, txId, this.now);
    const { instance, fn } = this.#fn(name);
    const result = await fn.call(instance, newContext(stub, identity), ...args);
    if (stub.paginated) throw new Error('paginated queries are not supported in update transactions');
    const seconds = Math.floor(this.now / 1000);
    const nanos = (this.now % 1000) * 1e6;
    for (const [key, value] of stub.writes) {
      if (value === null) this.world.state.delete(key);
      else this.world.state.set(key, value);
      const h = this.world.history.get(key) ?? [];
      h.push({ txId, seconds, nanos, isDelete: value === null, value: value ?? new Uint8Array(0) });
      this.world.history.set(key, h);
    }
    if (stub.event) {
      this.events.push({ txId, name: stub.event.name, payload: JSON.parse(new TextDecoder().decode(stub.event.payload)) });
    }
    return { result, txId };
  }

  /** Runs a transaction without committing anything. */
  async evaluate(identity: Identity, name: string, args: string[]): Promise<string> {
    const stub = new MemoryStub(this.world, `eval${++this.#seq}`, this.now);
    const { instance, fn } = this.#fn(name);
    return fn.call(instance, newContext(stub, identity), ...args);
  }

  /** Number of committed keys (to check that refusals write nothing else). */
  get size(): number {
    return this.world.state.size;
  }
}
