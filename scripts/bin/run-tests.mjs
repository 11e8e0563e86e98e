#!/usr/bin/env node
// `npm test`: lint, type-check (tsc -b also builds dist/ that packages import), then every
// package's vitest suite. Ends with one plain line `N passed, N failed` that CI counts.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsFile = join(root, '.vitest-results.json');
const extra = process.argv.slice(2);

function step(title, cmd, args) {
  const started = Date.now();
  console.log(`\n== ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  console.log(`== ${title}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return r.status === 0;
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
if (!step('lint (eslint)', npx, ['eslint', '.'])) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
if (!step('type-check and build (tsc -b)', npx, ['tsc', '-b'])) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
rmSync(resultsFile, { force: true });
const ok = step('tests (vitest)', npx, [
  'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...extra,
]);
let passed = 0;
let failed = 0;
if (existsSync(resultsFile)) {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed = results.numPassedTests ?? 0;
  failed = (results.numFailedTests ?? 0) + (results.numFailedTestSuites ?? 0) * (results.numFailedTests ? 0 : 1);
}
if (!ok && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
