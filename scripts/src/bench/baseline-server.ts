/** The HTTP baseline: fastify with an empty GET and an empty JSON POST route, logging off. */
import Fastify from 'fastify';

export interface BaselineServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts the baseline on 127.0.0.1, an ephemeral port. @throws the listen error. */
export async function startBaselineServer(): Promise<BaselineServer> {
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
  app.get('/empty', async () => ({}));
  app.post('/empty', async () => ({}));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
