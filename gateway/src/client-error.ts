/**
 * Errors the HTTP parser raises before fastify sees a request (header too large, garbled
 * request line, timeout): answered in the public error JSON and the connection closed.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

function statusOf(code: unknown): { status: number; text: string; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, text: 'Request Header Fields Too Large', message: 'request headers are too large' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, text: 'Request Timeout', message: 'request timed out' };
  return { status: 400, text: 'Bad Request', message: 'malformed HTTP request' };
}

/** fastify `clientErrorHandler` (bound to the instance). */
export function clientErrorHandler(this: FastifyInstance, err: Error & { code?: unknown }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, text, message } = statusOf(err.code);
  const body = JSON.stringify({ error: { code: 'BAD_REQUEST', message, reason: typeof err.code === 'string' ? err.code : undefined } });
  this.log.debug({ code: err.code }, 'client error');
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
