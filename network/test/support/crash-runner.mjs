// Child process for the crash test: submits Put transactions as fast as it can from 16
// concurrent workers and prints "committed <key> <block>" after each commit, until killed.
// Usage: node crash-runner.mjs <dataDir> <mspDir> <keyPrefix>   (crash.test.ts compiles ./dist first)
import { createRequire } from 'node:module';
import { createEmbeddedIdentity } from './dist/embedded/identity.js';
import { createEmbeddedLedger } from './dist/embedded/ledger.js';

const [dataDir, mspDir, prefix] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const { contracts } = require('./kv-contract.cjs');

const ledger = await createEmbeddedLedger({ dataDir, contracts, blockMaxTransactions: 20, blockMaxWaitMs: 1 });
const client = ledger.connect(await createEmbeddedIdentity({ mspId: 'Org1MSP', name: 'crash', dir: mspDir }));
let next = 0;
process.stdout.write('ready\n');

async function worker() {
  for (;;) {
    const key = `${prefix}-${String(next++).padStart(6, '0')}`;
    const { blockNumber } = await client.submit('kv:Put', [key, `value of ${key}`]);
    process.stdout.write(`committed ${key} ${blockNumber}\n`);
  }
}
await Promise.all(Array.from({ length: 16 }, worker));
