#!/usr/bin/env node
/**
 * Synthetic enterprise data into a connector's store.
 *   node scripts/dist/synthetic/cli.js --count 100000 --seed 42 --data-dir .xinlian/provider [--as-of 2025-06-30]
 */
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { openStore } from '@xinlian/connector';
import { DEFAULT_AS_OF, generateEnterprises } from './generate.js';

const USAGE = 'usage: cli --count N --seed S --data-dir DIR [--as-of YYYY-MM-DD] [--batch-size N]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        count: { type: 'string' },
        seed: { type: 'string' },
        'data-dir': { type: 'string' },
        'as-of': { type: 'string', default: DEFAULT_AS_OF },
        'batch-size': { type: 'string', default: '2000' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const count = Number(values.count);
  const batchSize = Number(values['batch-size']);
  if (values.count === undefined || values.seed === undefined || values['data-dir'] === undefined) {
    console.error(USAGE);
    return 2;
  }
  const seed = /^-?\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  const store = await openStore({ dataDir: values['data-dir'] });
  const bar = new SingleBar(
    { format: 'enterprises {bar} {value}/{total} {percentage}% | {rate}/s | eta {eta}s' },
    Presets.shades_classic,
  );
  const started = Date.now();
  try {
    bar.start(Number.isSafeInteger(count) ? count : 0, 0, { rate: 0 });
    const summary = await generateEnterprises({
      seed,
      count,
      store,
      asOf: values['as-of'],
      batchSize,
      onProgress: (done) =>
        bar.update(done, {
          rate: Math.round(done / Math.max(0.001, (Date.now() - started) / 1000)),
        }),
    });
    bar.stop();
    const seconds = (Date.now() - started) / 1000;
    console.log(
      JSON.stringify({
        ...summary,
        dataDir: values['data-dir'],
        seconds,
        perSecond: Math.round(count / Math.max(seconds, 0.001)),
      }),
    );
    return 0;
  } catch (e) {
    bar.stop();
    const code = (e as { code?: unknown }).code;
    console.error(`${typeof code === 'string' ? `[${code}] ` : ''}${(e as Error).message}`);
    return 1;
  } finally {
    await store.close();
  }
}

process.exitCode = await main();
