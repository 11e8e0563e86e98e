import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/test-app.js';

describe('request ids in pino logs', () => {
  const lines: Record<string, unknown>[] = [];
  let t: TestApp;
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    t = await buildTestApp({ loggerInstance: pino({ level: 'info' }, sink) });
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('logs every line of a request with its id, and never the API key', async () => {
    const res = await t.as('ml-1', { method: 'GET', url: '/v1/consents/unknown', headers: { 'x-request-id': 'trace-42' } });
    expect(res.statusCode).toBe(404);
    const mine = lines.filter((l) => l['reqId'] === 'trace-42');
    expect(mine.length).toBeGreaterThanOrEqual(3); // incoming, refusal, completed
    expect(mine.some((l) => l['code'] === 'NOT_FOUND')).toBe(true);
    expect(JSON.stringify(lines)).not.toContain('test-key-ml-1');
  });
});
