import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run the ESM workspaces from source. The chaincode is imported from its
    // tsc build (dist/): esbuild emits no decorator metadata, which fabric-contract-api needs.
    alias: [
      { find: /^@xinlian\/(network|connector|gateway|scripts)$/, replacement: `${root}$1/src/index.ts` },
      { find: /^@xinlian\/(network|connector|gateway|scripts)\/(.+)$/, replacement: `${root}$1/src/$2` },
    ],
  },
  test: {
    include: ['*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'network/test/fabric/live/**', 'scripts/test/fabric/**'],
    setupFiles: ['./scripts/bin/vitest-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
