/**
 * End-to-end harness: the demo consortium (embedded ledger, one connector per institution
 * talking over libp2p on loopback) behind the real gateway on an ephemeral port, called with
 * `fetch` over HTTP exactly as a client would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connector } from '@xinlian/connector';
import { createConnectorServices, openGatewayStore, startGateway, type GatewayStore, type RunningGateway } from '@xinlian/gateway';
import type { BaseWallet, TypedDataDomain, TypedDataField, Wallet } from 'ethers';
import { openConsortium, type DemoConsortium } from '../../src/demo/consortium.js';
import { loadOrCreateCredentials, rotationsWrittenBack, type DemoCredentials } from '../../src/demo/credentials.js';
import { DEMO_PROVIDER } from '../../src/demo/plan.js';

/** The institution whose connector records the gateway's refusals. */
const DEMO_OPERATOR = 'operator';

export const SEED = 'xinlian-e2e';

/** What an HTTP call returned: status and parsed JSON body (undefined when not JSON). */
export interface HttpResult<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly text: string;
}

export interface CallOptions {
  readonly method?: string;
  /** JSON-encoded unless it is already a string (sent verbatim). */
  readonly body?: unknown;
  /** API key of this institution; null = no Authorization header. */
  readonly as?: string | null;
  readonly headers?: Record<string, string>;
}

export interface E2E {
  readonly url: string;
  /** The demo data dir (credentials in `demo/credentials.json`). */
  readonly dataDir: string;
  readonly consortium: DemoConsortium;
  readonly credentials: DemoCredentials;
  readonly provider: Connector;
  /** The gateway's own store (API keys, idempotency records) in `<data dir>/gateway`. */
  readonly gatewayStore: () => GatewayStore;
  /** Stops the gateway and its store and starts them again on the same port (the consortium keeps running). */
  restartGateway(): Promise<void>;
  /** One HTTP call to the gateway. */
  call<T = Record<string, unknown>>(path: string, options?: CallOptions): Promise<HttpResult<T>>;
  /** The demo signer wallet of a subject (the enterprise's own key). */
  subjectWallet(uscc: string): Wallet;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly enterprises?: number;
  /** Per-key rate limit; the default is generous so that the suites never hit it. */
  readonly rateLimitMax?: number;
}

/**
 * Builds a fresh consortium in a temp dir and starts the gateway on 127.0.0.1 port 0.
 * Call {@link E2E.close} in afterAll: it stops the gateway, the connectors and the ledger and
 * deletes the directory.
 */
export async function startE2E(options: StartOptions = {}): Promise<E2E> {
  const dataDir = await mkdtemp(join(tmpdir(), 'xinlian-e2e-'));
  let consortium: DemoConsortium | undefined;
  let gateway: RunningGateway | undefined;
  let store: GatewayStore | undefined;
  try {
    consortium = await openConsortium({ dataDir, enterprises: options.enterprises ?? 200, seed: SEED, logLevel: 'warn' });
    const provider = consortium.connectors.get(DEMO_PROVIDER)!;
    const { credentials } = await loadOrCreateCredentials(dataDir, 'http://127.0.0.1:0', provider.store, consortium.subjectWallet);
    const opened = consortium;
    // the gateway's construction (helper G): durable keys and idempotency records, refusals through the operator
    const boot = async (port: string): Promise<void> => {
      store = await openGatewayStore(join(dataDir, 'gateway'));
      for (const [id, entry] of Object.entries(credentials.institutions)) await store.apiKeys.ensure(id, entry.roles, entry.apiKey);
      gateway = await startGateway(
        {
          services: createConnectorServices({
            connectors: opened.connectors,
            refusalRecorder: DEMO_OPERATOR,
            ...(opened.host ? { host: opened.host } : {}),
          }),
          apiKeys: rotationsWrittenBack(store.apiKeys, dataDir),
          idempotency: store.idempotency,
          // the suspension check must see a suspension made through another route at once
          statusCacheMs: 1,
          rateLimit: { max: options.rateLimitMax ?? 10_000, timeWindowMs: 60_000 },
          refusalFlushMs: 50,
          defaultMetrics: false,
        },
        { PORT: port, HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
      );
    };
    await boot('0');
    const url = gateway!.url;
    const stopGateway = async (): Promise<void> => {
      await gateway?.close();
      await store?.close();
    };
    return {
      url,
      dataDir,
      consortium,
      credentials,
      provider,
      gatewayStore: () => store!,
      restartGateway: async () => {
        await stopGateway();
        await boot(new URL(url).port);
      },
      call: (path, o = {}) => call(url, credentials, path, o),
      subjectWallet: consortium.subjectWallet,
      close: async () => {
        await stopGateway();
        await opened.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await gateway?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    await consortium?.close().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
}

async function call<T>(url: string, credentials: DemoCredentials, path: string, o: CallOptions): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.as !== null && o.as !== undefined) {
    const entry = credentials.institutions[o.as];
    if (!entry) throw new Error(`no API key for ${o.as}`);
    headers['authorization'] = `Bearer ${entry.apiKey}`;
  }
  let body: string | undefined;
  if (o.body !== undefined) {
    body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${url}${path}`, { method: o.method ?? (body === undefined ? 'GET' : 'POST'), headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed as T, text };
}

/** EIP-712 typed data as the gateway drafts it. */
export interface TypedDataJson {
  readonly domain: TypedDataDomain;
  readonly types: Record<string, TypedDataField[]>;
  readonly primaryType: string;
  readonly message: Record<string, unknown>;
}

/** Signs drafted typed data as ethers does (the primary type's dependencies only, no EIP712Domain). */
export function signTypedData(wallet: BaseWallet, typed: TypedDataJson): Promise<string> {
  const { EIP712Domain: _domain, ...types } = typed.types;
  return wallet.signTypedData(typed.domain, types, typed.message);
}

/** The shape every error response must have (shared/API.md). */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly rule?: string; readonly reason?: string };
}
