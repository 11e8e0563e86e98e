import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../../scripts/bin/vitest-aliases.js';

// Run by network/fabric/test.sh only (the root config excludes network/test/fabric/**).
// unit/ needs no network; live/ needs `npm run fabric:up`. Files run one at a time:
// the live tests share one network and the fault tests stop and start its nodes.
const root = fileURLToPath(new URL('../../../', import.meta.url));

export default defineConfig({
  root,
  resolve: {
    alias: workspaceAliases(root),
  },
  test: {
    include: ['network/test/fabric/**/*.test.ts'],
    setupFiles: ['./scripts/bin/vitest-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
