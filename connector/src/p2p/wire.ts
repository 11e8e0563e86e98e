/**
 * One length-prefixed frame (unsigned varint length, then the bytes) each way,
 * with a size limit and a deadline, and every stream failure mapped to a coded
 * {@link P2PError}.
 *
 * The reader is written against the stream's events rather than `lpStream`
 * so that an oversized frame is recognised from its length prefix and the rest
 * of it is dropped as it arrives (never buffered), leaving the stream writable
 * for a `CONN_TOO_LARGE` answer.
 */
import type { Stream, StreamCloseEvent, StreamMessageEvent } from '@libp2p/interface';
import { P2PError, P2PErrorCode } from './errors.js';

/** What to report when the deadline signal fires: TIMEOUT, or ABORTED for a caller's own abort. */
export type AbortCode = typeof P2PErrorCode.TIMEOUT | typeof P2PErrorCode.ABORTED;

/** A varint of this many bytes already encodes more than 2^56: longer prefixes are refused. */
const MAX_PREFIX_BYTES = 8;

/**
 * Reads one frame. Attach it as soon as the stream exists (the stream holds
 * data back until a reader listens). Bytes after the frame, and the rest of an
 * oversized frame, are dropped.
 *
 * @throws P2PError `CONN_TOO_LARGE` (announced length over `maxBytes`),
 *   `CONN_BAD_MESSAGE` (stream ended before a whole frame),
 *   `CONN_TIMEOUT` / `CONN_ABORTED` (signal fired), `CONN_PEER_UNREACHABLE` (stream reset).
 */
export function readFrame(
  stream: Stream,
  maxBytes: number,
  signal: AbortSignal,
  abortCode: () => AbortCode = () => P2PErrorCode.TIMEOUT,
): Promise<Uint8Array> {
  return new Promise<Uint8Array>((resolve, reject) => {
    let done = false;
    let prefixBytes = 0;
    let length = -1;
    let lengthSoFar = 0;
    let received = 0;
    let body = new Uint8Array(0);

    const finish = (error: P2PError | undefined, frame?: Uint8Array): void => {
      if (done) return;
      done = true; // the message listener stays, dropping whatever else arrives
      stream.removeEventListener('end', onEnd);
      stream.removeEventListener('close', onClose);
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolve(frame ?? new Uint8Array(0));
      else reject(error);
    };
    const consume = (chunk: Uint8Array): void => {
      let offset = 0;
      while (length < 0 && offset < chunk.length) {
        const byte = chunk[offset++]!;
        lengthSoFar += (byte & 0x7f) * 2 ** (7 * prefixBytes++);
        if ((byte & 0x80) === 0) length = lengthSoFar;
        else if (prefixBytes >= MAX_PREFIX_BYTES) return finish(new P2PError(P2PErrorCode.TOO_LARGE, 'length prefix too long'));
      }
      if (length < 0) return;
      if (length > maxBytes) return finish(new P2PError(P2PErrorCode.TOO_LARGE, `message of ${length} bytes exceeds the limit of ${maxBytes}`));
      if (body.length !== length) body = new Uint8Array(length);
      const take = Math.min(chunk.length - offset, length - received);
      body.set(chunk.subarray(offset, offset + take), received);
      received += take;
      if (received === length) finish(undefined, body);
    };
    const onMessage = (evt: StreamMessageEvent): void => {
      if (done) return;
      const data = evt.data;
      if (data instanceof Uint8Array) consume(data);
      else for (const chunk of data) if (!done) consume(chunk);
    };
    const onEnd = (): void => finish(new P2PError(P2PErrorCode.BAD_MESSAGE, 'stream ended before a whole message arrived'));
    const onClose = (evt: StreamCloseEvent): void =>
      evt.error === undefined ? onEnd() : finish(new P2PError(P2PErrorCode.PEER_UNREACHABLE, 'stream was reset', { cause: evt.error }));
    const onAbort = (): void => {
      const code = abortCode();
      finish(new P2PError(code, code === P2PErrorCode.TIMEOUT ? 'timed out waiting for a message' : 'aborted by the caller'));
    };

    if (signal.aborted) return onAbort();
    stream.addEventListener('message', onMessage);
    stream.addEventListener('end', onEnd);
    stream.addEventListener('close', onClose);
    signal.addEventListener('abort', onAbort);
    if (stream.status === 'aborted' || stream.status === 'reset') {
      finish(new P2PError(P2PErrorCode.PEER_UNREACHABLE, 'stream was reset'));
    } else if (stream.readableEnded) {
      onEnd(); // 'end' fires only once the buffer is empty, so nothing is left to read
    }
  });
}

/**
 * Writes one frame and closes the writing side.
 *
 * @throws P2PError `CONN_TIMEOUT` / `CONN_ABORTED` (signal fired), `CONN_PEER_UNREACHABLE` (stream broke).
 */
export async function writeFrame(
  stream: Stream,
  bytes: Uint8Array,
  signal: AbortSignal,
  abortCode: () => AbortCode = () => P2PErrorCode.TIMEOUT,
): Promise<void> {
  const prefix: number[] = [];
  let n = bytes.byteLength;
  while (n >= 0x80) {
    prefix.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  prefix.push(n);
  const frame = new Uint8Array(prefix.length + bytes.byteLength);
  frame.set(prefix, 0);
  frame.set(bytes, prefix.length);
  try {
    if (!stream.send(frame)) await stream.onDrain({ signal });
    await stream.close({ signal });
  } catch (cause) {
    if (signal.aborted) {
      const code = abortCode();
      throw new P2PError(code, code === P2PErrorCode.TIMEOUT ? 'timed out writing a message' : 'aborted by the caller', { cause });
    }
    throw new P2PError(P2PErrorCode.PEER_UNREACHABLE, 'stream failed while writing', { cause });
  }
}

/**
 * Aborts the stream if the remote has not closed its side within `afterMs`
 * (called once this side is done with it), so a peer cannot pin streams open.
 */
export function lingerThenAbort(stream: Stream, afterMs: number): void {
  const ended = (): boolean => stream.status === 'closed' || stream.status === 'aborted' || stream.status === 'reset';
  if (ended()) return;
  const timer = setTimeout(() => {
    if (!ended()) stream.abort(new Error('stream lingered past its deadline'));
  }, afterMs);
  timer.unref();
  stream.addEventListener('close', () => clearTimeout(timer), { once: true });
}
