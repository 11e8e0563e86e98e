import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Run by network/fabric/test.sh only (the root config excludes scripts/test/fabric/**):
// the demo consortium on the live Fabric network of `npm run fabric:up`.
const root = fileURLToPath(new URL('../../../', import.meta.url));

export default defineConfig({
  root,
  resolve: {
    alias: [
      { find: /^@xinlian\/(network|connector|gateway|scripts)$/, replacement: `${root}$1/src/index.ts` },
      { find: /^@xinlian\/(network|connector|gateway|scripts)\/(.+)$/, replacement: `${root}$1/src/$2` },
    ],
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
