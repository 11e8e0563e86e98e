#!/usr/bin/env node
/**
 * `xinlian` (npm run xinlian -- <command>): sign consents as a subject, verify reports,
 * check the ledger's integrity, show an institution's activity. See `cli/main.ts`.
 */
import { runCli } from './cli/main.js';
import { processContext } from './cli/io.js';

process.exitCode = await runCli(process.argv.slice(2), processContext());
