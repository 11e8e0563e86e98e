/**
 * Loads `reflect-metadata` (through fabric-shim, which depends on it) before @peculiar/x509,
 * whose dependency injection container refuses to load without it. Import this first.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
createRequire(require.resolve('fabric-shim'))('reflect-metadata');
