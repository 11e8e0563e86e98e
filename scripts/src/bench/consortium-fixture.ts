/**
 * The consortium the gateway, exchange, provenance and ingest benchmarks share: the demo
 * consortium in a temp directory, a gateway in front of it on an ephemeral port (rate limit
 * raised for load), a subject with pre_loan consents for the lender, and usage contracts on
 * a benchmark product whose policy allows the load.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { consentTypedData, type ConsentMessage } from '@xinlian/chaincode';
import { contentHashOf, defaultProductPolicy, type Connector } from '@xinlian/connector';
import { buildApp, createConnectorServices, createMemoryApiKeyStore, generateApiKey, hashApiKey } from '@xinlian/gateway';
import type { FastifyInstance } from 'fastify';
import { openConsortium, type DemoConsortium } from '../demo/consortium.js';
import { DEMO_INSTITUTIONS, DEMO_PRODUCTS, DEMO_PROVIDER } from '../demo/plan.js';
import type { BenchContext } from './context.js';

const SEED = 'xinlian-bench';
/** The lender that calls the gateway in every benchmark. */
export const BENCH_LENDER = 'microloan-a';
/** A score product like the demo's, with limits that allow benchmark loads. */
export const BENCH_PRODUCT = 'bench-credit-score';

export interface BenchConsortium {
  readonly consortium: DemoConsortium;
  readonly app: FastifyInstance;
  /** `http://127.0.0.1:<port>` of the gateway. */
  readonly url: string;
  /** API key per institution id. */
  readonly apiKeys: ReadonlyMap<string, string>;
  /** USCCs of the provider's enterprises (registered subjects). */
  readonly usccs: readonly string[];
  connector(id: string): Connector;
  /** Grants a consent for `products` to the lender, signed by the subject's demo wallet; returns its id. */
  grantConsent(uscc: string, products: readonly string[]): Promise<string>;
  close(): Promise<void>;
}

/** Opens the consortium and its gateway. @throws whatever set-up fails with (after cleaning up). */
export async function openBenchConsortium(ctx: BenchContext, enterprises: number): Promise<BenchConsortium> {
  ctx.log(`setting up a demo consortium with ${enterprises} enterprises…`);
  const consortium = await openConsortium({
    dataDir: join(ctx.tmpDir, `consortium-${randomUUID().slice(0, 8)}`),
    enterprises,
    seed: SEED,
    progress: ctx.progress,
    log: ctx.log,
    logLevel: 'warn',
  });
  let app: FastifyInstance | undefined;
  try {
    const connector = (id: string): Connector => {
      const c = consortium.connectors.get(id);
      if (!c) throw new Error(`no connector ${id}`);
      return c;
    };
    const apiKeys = new Map(DEMO_INSTITUTIONS.map((p) => [p.id, generateApiKey()] as const));
    const entries = DEMO_INSTITUTIONS.map((p) => ({ apiKeyHash: hashApiKey(apiKeys.get(p.id)!), institutionId: p.id, roles: [...p.roles] }));
    app = await buildApp({
      services: createConnectorServices({ connectors: consortium.connectors }),
      apiKeys: createMemoryApiKeyStore(entries),
      rateLimit: { max: 100_000_000, timeWindowMs: 60_000 },
      docs: false,
      defaultMetrics: false,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;

    await publishBenchProduct(connector(DEMO_PROVIDER));
    const usccs: string[] = [];
    for await (const uscc of connector(DEMO_PROVIDER).store.enterprises.keys()) usccs.push(uscc);
    const lender = connector(BENCH_LENDER);
    const grantConsent = async (uscc: string, products: readonly string[]): Promise<string> => {
      const now = Math.floor(Date.now() / 1000);
      const message: ConsentMessage = {
        consentId: `cst-${randomUUID()}`,
        subjectToken: lender.subjects.tokenOf(uscc),
        grantee: BENCH_LENDER,
        products: [...products],
        purpose: 'pre_loan',
        validUntil: now + 24 * 3600,
        issuedAt: now,
      };
      const typed = consentTypedData(message);
      const signature = await consortium.subjectWallet(uscc).signTypedData(typed.domain, typed.types, typed.message);
      await lender.ledger.grantConsent(message, signature);
      return message.consentId;
    };
    const opened = app;
    return {
      consortium,
      app: opened,
      url,
      apiKeys,
      usccs,
      connector,
      grantConsent,
      close: async () => {
        await opened.close();
        await consortium.close();
      },
    };
  } catch (e) {
    await app?.close();
    await consortium.close();
    throw e;
  }
}

async function publishBenchProduct(provider: Connector): Promise<void> {
  const policy = defaultProductPolicy({ productId: BENCH_PRODUCT, maxUses: 10_000_000, ratePerMinute: 10_000_000 });
  const outputSchema = { product: BENCH_PRODUCT, fields: ['score', 'grade', 'dimensions', 'reasonCodes'] };
  await provider.ledger.publishProduct({
    id: BENCH_PRODUCT,
    name: 'SME credit score (benchmark limits)',
    kind: DEMO_PRODUCTS.score.kind,
    classification: DEMO_PRODUCTS.score.classification,
    policy: policy as unknown as Record<string, unknown>,
    outputSchemaHash: contentHashOf(outputSchema),
    modelVersion: 'sme-scorecard-1.0.0',
  });
}
