#!/usr/bin/env node
/**
 * `npm start`: the local consortium with synthetic data, on the embedded ledger or on the
 * Fabric network of `npm run fabric:up`, and the gateway in front of it.
 * Flags: --ledger embedded|fabric, --reset, --enterprises N (first start), --seed S.
 * Environment: XINLIAN_LEDGER, XINLIAN_FABRIC_CHAINCODE, XINLIAN_DATA_DIR (default ./.xinlian),
 * PORT (8080), HOST (127.0.0.1), LOG_LEVEL (warn).
 */
import '@xinlian/connector/polyfills';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createConnectorServices, openGatewayStore, readListenConfig, startGateway } from '@xinlian/gateway';
import { consoleProgress } from './demo/progress.js';
import { openConsortium } from './demo/consortium.js';
import { isDemoError } from './demo/demo-error.js';
import { parseLedgerKind, type LedgerKind } from './demo/ledgers.js';
import { credentialsPath, loadOrCreateCredentials, rotationsWrittenBack } from './demo/credentials.js';
import { DEMO_PROVIDER } from './demo/plan.js';
import { startBanner } from './demo/banner.js';

const USAGE = `Usage: npm start -- [--ledger embedded|fabric] [--reset] [--enterprises N] [--seed S]

Starts a local xinlian consortium and serves the HTTP API.
  --ledger L        embedded (default: one process, data in the data directory) or fabric
                    (the network of \`npm run fabric:up\`; one Fabric user per institution;
                    the first start there commits a transaction per enterprise, so a smaller
                    --enterprises, e.g. 1000, starts much faster)
  --reset           delete the data directory and start over
  --enterprises N   synthetic enterprises to generate on the first start (default 10000)
  --seed S          seed of the synthetic data (default xinlian-demo)
Environment: XINLIAN_LEDGER (as --ledger), XINLIAN_FABRIC_CHAINCODE (chaincode name on Fabric),
  XINLIAN_DATA_DIR (default ./.xinlian), PORT (8080), HOST (127.0.0.1), LOG_LEVEL (warn)`;

async function main(): Promise<void> {
  const started = Date.now();
  // Everything this process creates (stores, keys, credentials) is private to the user.
  process.umask(0o077);
  const { values } = parseArgs({
    options: {
      ledger: { type: 'string' },
      reset: { type: 'boolean', default: false },
      enterprises: { type: 'string', default: '10000' },
      seed: { type: 'string', default: 'xinlian-demo' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const enterprises = Number(values.enterprises);
  if (!Number.isSafeInteger(enterprises) || enterprises < 1 || enterprises > 10_000_000) {
    throw new UsageError(`--enterprises must be an integer from 1 to 10000000, got ${values.enterprises}`);
  }
  let ledger: LedgerKind;
  try {
    ledger = parseLedgerKind(values.ledger ?? process.env['XINLIAN_LEDGER']);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const fabricChaincode = process.env['XINLIAN_FABRIC_CHAINCODE'] || undefined;
  const env = { ...process.env, LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' };
  const listen = readListenConfig(env);
  const dataDir = resolve(process.env['XINLIAN_DATA_DIR'] ?? '.xinlian');
  console.log(`xinlian: data directory ${dataDir}, ${ledger} ledger`);

  const consortium = await openConsortium({
    dataDir,
    reset: values.reset,
    enterprises,
    seed: values.seed,
    ledger,
    ...(fabricChaincode !== undefined ? { fabricChaincode } : {}),
    progress: consoleProgress,
    log: (line) => console.log(line),
    logLevel: env.LOG_LEVEL,
  });
  const gatewayUrl = `http://${listen.host}:${listen.port}`;
  const { credentials } = await loadOrCreateCredentials(
    dataDir,
    gatewayUrl,
    consortium.connectors.get(DEMO_PROVIDER)!.store,
    consortium.subjectWallet,
  );
  // API keys (hashes only) and idempotency records survive restarts; a rotated key stays rotated
  const gatewayStore = await openGatewayStore(join(dataDir, 'gateway'));
  for (const [id, entry] of Object.entries(credentials.institutions)) await gatewayStore.apiKeys.ensure(id, entry.roles, entry.apiKey);
  const gateway = await startGateway(
    {
      services: createConnectorServices({
        connectors: consortium.connectors,
        refusalRecorder: 'operator',
        ...(consortium.host ? { host: consortium.host } : {}),
      }),
      // a rotated key of a demo institution is written back into credentials.json
      apiKeys: rotationsWrittenBack(gatewayStore.apiKeys, dataDir),
      idempotency: gatewayStore.idempotency,
    },
    env,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: shutting down…`);
    await gateway.close();
    await gatewayStore.close();
    await consortium.close();
    console.log('stopped cleanly.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  console.log(startBanner({
    on: consortium.ledgerKind === 'fabric' ? `on Fabric (channel ${consortium.fabric.channel}, chaincode ${consortium.fabric.chaincode})` : 'on the embedded ledger',
    seconds: (Date.now() - started) / 1000,
    url: gateway.url,
    credentials: credentialsPath(dataDir),
    institutions: Object.keys(credentials.institutions).length,
  }));
}

class UsageError extends Error {}

main().catch((e: unknown) => {
  if (e instanceof UsageError) {
    console.error(`${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (isDemoError(e)) {
    console.error(`xinlian cannot start: ${e.message}`);
    process.exit(1);
  }
  console.error(`xinlian failed to start: ${e instanceof Error ? e.message : String(e)}`);
  if (process.env['DEBUG']) console.error(e);
  process.exit(1);
});
