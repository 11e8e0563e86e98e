import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../bin/vitest-aliases.js';

// Run by network/fabric/test.sh only (the root config excludes scripts/test/fabric/**):
// the demo consortium on the live Fabric network of `npm run fabric:up`.
const root = fileURLToPath(new URL('../../../', import.meta.url));

export default defineConfig({
  root,
  resolve: {
    alias: workspaceAliases(root),
  },
  test: {
    include: ['scripts/test/fabric/**/*.test.ts'],
    setupFiles: ['./scripts/bin/vitest-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
