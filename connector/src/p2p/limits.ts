/**
 * Resolved configuration shared by the inbound and outbound sides.
 */
import { Defaults } from './constants.js';
import type { RequestResponseInit } from './types.js';

export interface Limits {
  readonly maxMessageBytes: number;
  readonly requestTimeoutMs: number;
  readonly readTimeoutMs: number;
  readonly handlerTimeoutMs: number;
  readonly envelopeTtlMs: number;
  readonly maxEnvelopeTtlMs: number;
  readonly clockSkewMs: number;
  readonly maxInboundStreams: number;
}

/**
 * Fills defaults and checks the values.
 *
 * @throws RangeError when a value is not a positive integer, or the envelope
 *   lifetime exceeds the longest lifetime this node accepts.
 */
export function resolveLimits(init: RequestResponseInit = {}): Limits {
  const limits: Limits = {
    maxMessageBytes: init.maxMessageBytes ?? Defaults.MAX_MESSAGE_BYTES,
    requestTimeoutMs: init.requestTimeoutMs ?? Defaults.REQUEST_TIMEOUT_MS,
    readTimeoutMs: init.readTimeoutMs ?? Defaults.READ_TIMEOUT_MS,
    handlerTimeoutMs: init.handlerTimeoutMs ?? Defaults.HANDLER_TIMEOUT_MS,
    envelopeTtlMs: init.envelopeTtlMs ?? Defaults.ENVELOPE_TTL_MS,
    maxEnvelopeTtlMs: init.maxEnvelopeTtlMs ?? Defaults.MAX_ENVELOPE_TTL_MS,
    clockSkewMs: init.clockSkewMs ?? Defaults.CLOCK_SKEW_MS,
    maxInboundStreams: init.maxInboundStreams ?? Defaults.MAX_INBOUND_STREAMS,
  };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer`);
  }
  if (limits.envelopeTtlMs > limits.maxEnvelopeTtlMs) {
    throw new RangeError('envelopeTtlMs must not exceed maxEnvelopeTtlMs');
  }
  return limits;
}

/**
 * Resolves when `promise` does, or rejects with `onAbort()` as soon as `signal`
 * fires (the promise itself keeps running; it is the callee's job to watch the signal).
 */
export async function raceSignal<T>(promise: Promise<T>, signal: AbortSignal, onAbort: () => Error): Promise<T> {
  if (signal.aborted) throw onAbort();
  let listener: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    listener = () => reject(onAbort());
    signal.addEventListener('abort', listener, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    if (listener !== undefined) signal.removeEventListener('abort', listener);
  }
}
