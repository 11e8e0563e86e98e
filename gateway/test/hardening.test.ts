/**
 * Slow and hostile clients, on a real port with raw sockets: request, header and body
 * timeouts, the keep-alive bound, the connection cap, the per-address limit on failed
 * authentication, and a request carrying two Authorization headers.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startLiveApp, type LiveApp } from './support/live-app.js';
import { keyOf } from './support/test-app.js';

interface RawResult {
  readonly text: string;
  /** ms from connect to the server closing the connection. */
  readonly closedAfterMs: number;
}

/** Opens a socket, writes `chunks` (strings sent at once), and waits for the server to close it. */
function raw(port: number, chunks: readonly string[], waitMs = 10_000): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`server kept the connection open for ${waitMs} ms; got: ${text.slice(0, 200)}`));
    }, waitMs);
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (text += d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closedAfterMs: Date.now() - started });
    });
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c);
    });
  });
}

const statusOf = (text: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);

describe('slow and hostile clients (real port)', () => {
  let live: LiveApp | undefined;
  afterEach(async () => {
    await live?.close();
    live = undefined;
  });

  it('refuses a request with two Authorization headers (400), whichever comes first', async () => {
    live = await startLiveApp();
    const request = [
      'GET /v1/catalog HTTP/1.1',
      'Host: 127.0.0.1',
      `Authorization: Bearer ${keyOf('ml-1')}`,
      `Authorization: Bearer ${keyOf('reg-1')}`,
      'Connection: close',
      '',
      '',
    ].join('\r\n');
    const res = await raw(live.port, [request]);
    expect(statusOf(res.text)).toBe(400);
    expect(res.text).toContain('"code":"BAD_REQUEST"');
    expect(res.text).toContain('one Authorization header');
    expect(live.services.callsOf('listProducts')).toHaveLength(0);
  });

  it('answers 429 RATE_LIMITED to an address after too many failed authentications, even with a valid key', async () => {
    live = await startLiveApp({ authFailures: { max: 3, timeWindowMs: 60_000 } });
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${live.url}/v1/catalog`, { headers: { authorization: `Bearer wrong-key-${i}-0123456789abcdefgh` } });
      expect(res.status).toBe(401);
    }
    const blocked = await fetch(`${live.url}/v1/catalog`, { headers: { authorization: `Bearer wrong-key-x-0123456789abcdefgh` } });
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    const valid = await live.call('ml-1', '/v1/catalog');
    expect(valid.status).toBe(429);
  });

  it('does not count successful authentications against the address', async () => {
    live = await startLiveApp({ authFailures: { max: 2, timeWindowMs: 60_000 } });
    for (let i = 0; i < 5; i++) expect((await live.call('ml-1', '/v1/catalog')).status).toBe(200);
  });

  it('answers 408 and closes the connection when a body stalls past the request timeout', async () => {
    live = await startLiveApp({ requestTimeoutMs: 600, headersTimeoutMs: 400 });
    const head = [
      'POST /v1/lending-events HTTP/1.1',
      'Host: 127.0.0.1',
      `Authorization: Bearer ${keyOf('ml-1')}`,
      'Content-Type: application/json',
      'Content-Length: 500',
      '',
      '{"events":[',
    ].join('\r\n');
    const res = await raw(live.port, [head], 8_000);
    expect(statusOf(res.text)).toBe(408);
    expect(res.closedAfterMs).toBeLessThan(4_000);
    expect(live.services.callsOf('recordLendingEvents')).toHaveLength(0);
  });

  it('closes a connection whose headers never finish', async () => {
    live = await startLiveApp({ requestTimeoutMs: 20_000, headersTimeoutMs: 300 });
    const res = await raw(live.port, ['GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '], 8_000);
    expect(res.closedAfterMs).toBeLessThan(4_000);
    expect([0, 408]).toContain(statusOf(res.text));
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    live = await startLiveApp({ keepAliveTimeoutMs: 300 });
    const res = await raw(live.port, ['GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n'], 8_000);
    expect(statusOf(res.text)).toBe(200);
    expect(res.closedAfterMs).toBeLessThan(3_000);
  });

  it('bounds the requests of one keep-alive connection: the last allowed answer says Connection: close', async () => {
    live = await startLiveApp({ maxRequestsPerSocket: 2, keepAliveTimeoutMs: 10_000, idleTimeoutMs: 10_000 });
    const one = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n';
    const text = await new Promise<string>((resolve) => {
      const socket = connect(live!.port, '127.0.0.1');
      let received = '';
      socket.setEncoding('utf8');
      socket.on('error', () => undefined);
      socket.on('data', (d: string) => {
        received += d;
        const answers = (received.match(/HTTP\/1\.1 /g) ?? []).length;
        if (answers === 1 && received.endsWith('}')) socket.write(one);
        if (answers >= 2 && received.endsWith('}')) {
          socket.destroy();
          resolve(received);
        }
      });
      socket.on('connect', () => socket.write(one));
    });
    const [first, second] = text.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/Keep-Alive: timeout=10, max=2/i);
    expect(second).toMatch(/Connection: close/i);
  });

  it('refuses connections beyond the cap at once', async () => {
    live = await startLiveApp({ maxConnections: 2, keepAliveTimeoutMs: 10_000, idleTimeoutMs: 10_000 });
    const held = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<Socket>((resolve) => {
            const s = connect(live!.port, '127.0.0.1', () => resolve(s));
            s.on('error', () => undefined);
          }),
      ),
    );
    try {
      // let the server count them
      await new Promise((r) => setTimeout(r, 100));
      const third = await raw(live.port, ['GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'], 5_000);
      expect(statusOf(third.text)).toBe(0);
      expect(third.closedAfterMs).toBeLessThan(2_000);
    } finally {
      for (const s of held) s.destroy();
    }
    await new Promise((r) => setTimeout(r, 100));
    expect((await fetch(`${live.url}/healthz`)).status).toBe(200);
  });
});
