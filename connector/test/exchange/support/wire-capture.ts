/**
 * Records every byte written to a libp2p stream of an xinlian protocol in this process, at
 * the stream's `send` (what the connectors put on the wire, before Noise encrypts it).
 */
import { AbstractMessageStream } from '@libp2p/utils';
import { PROTOCOL_PREFIX } from '../../../src/p2p/index.js';

export interface CapturedWrite {
  readonly protocol: string;
  /** `inbound`: written by the side that accepted the stream (the provider, for its protocols). */
  readonly direction: 'inbound' | 'outbound';
  readonly bytes: Uint8Array;
}

type Send = AbstractMessageStream['send'];

export class WireCapture {
  readonly writes: CapturedWrite[] = [];
  #original?: Send;

  install(): void {
    if (this.#original) return;
    const original = AbstractMessageStream.prototype.send;
    const writes = this.writes;
    this.#original = original;
    AbstractMessageStream.prototype.send = function (this: AbstractMessageStream, data: Parameters<Send>[0]) {
      const protocol = (this as { protocol?: unknown }).protocol;
      if (typeof protocol === 'string' && protocol.startsWith(PROTOCOL_PREFIX)) {
        const bytes = data instanceof Uint8Array ? data.slice() : data.subarray().slice();
        writes.push({ protocol, direction: this.direction, bytes });
      }
      return original.call(this, data);
    };
  }

  uninstall(): void {
    if (this.#original) AbstractMessageStream.prototype.send = this.#original;
    this.#original = undefined;
  }

  /** Everything written on `protocol` in `direction`, as text (the wire form is UTF-8 JSON). */
  text(protocol?: string, direction?: 'inbound' | 'outbound'): string {
    return this.writes
      .filter((w) => (protocol === undefined || w.protocol === protocol) && (direction === undefined || w.direction === direction))
      .map((w) => Buffer.from(w.bytes).toString('utf8'))
      .join('\n');
  }
}
