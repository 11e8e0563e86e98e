import { describe, expect, it } from 'vitest';
import { createMemoryApiKeyStore } from '../src/auth/api-key-store.js';
import { readListenConfig, startGateway } from '../src/server.js';
import { createFakeServices } from './support/fake-services.js';

describe('server', () => {
  it('defaults to 127.0.0.1:8080 and reads PORT, HOST and LOG_LEVEL', () => {
    expect(readListenConfig({})).toEqual({ port: 8080, host: '127.0.0.1', logLevel: 'info' });
    expect(readListenConfig({ PORT: '0', HOST: '::1', LOG_LEVEL: 'warn' })).toEqual({ port: 0, host: '::1', logLevel: 'warn' });
  });

  it.each([{ PORT: 'eighty' }, { PORT: '70000' }, { PORT: '-1' }, { PORT: '1.5' }, { LOG_LEVEL: 'loud' }])('refuses %o with GW_CONFIG', (env) => {
    expect(() => readListenConfig(env)).toThrow(expect.objectContaining({ code: 'GW_CONFIG' }));
  });

  it('listens on the configured host and an ephemeral port, and closes', async () => {
    const running = await startGateway(
      { services: createFakeServices([]), apiKeys: createMemoryApiKeyStore([]), defaultMetrics: false },
      { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
    );
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${running.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    } finally {
      await running.close();
    }
  });

  it('refuses invalid app options with GW_CONFIG', async () => {
    await expect(
      startGateway({ services: createFakeServices([]), apiKeys: createMemoryApiKeyStore([]), bodyLimit: -5 }, { PORT: '0', LOG_LEVEL: 'silent' }),
    ).rejects.toMatchObject({ code: 'GW_CONFIG' });
  });
});
