import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Run by network/fabric/test.sh only (the root config excludes network/test/fabric/**).
// unit/ needs no network; live/ needs `npm run fabric:up`. Files run one at a time:
// the live tests share one network and the fault tests stop and start its nodes.
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
    include: ['network/test/fabric/**/*.test.ts'],
    setupFiles: ['./scripts/bin/vitest-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
