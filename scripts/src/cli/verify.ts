/** `xinlian verify`: check a risk report against its provenance receipt through the gateway. */
import { CONNECTION_HELP, CONNECTION_OPTIONS, connectionOptions, parse } from './args.js';
import type { Command } from './command.js';
import { resolveConnection } from './config.js';
import { CliError, CliErrorCode, ExitCode, usageError } from './errors.js';
import { readJsonFile } from './files.js';
import { createGatewayClient } from './gateway-client.js';

const HELP = `Usage: xinlian verify FILE [--as guarantor]

Verifies a risk report: FILE holds { "report", "receipt" } as returned by
POST /v1/risk-reports. The gateway (POST /v1/provenance/verify) re-checks the report's
hash, the provider's signature, the receipt on the ledger, the contract and the consent;
each check is printed.

  --as INSTITUTION     who asks (default guarantor, or $XINLIAN_API_KEY when set)

${CONNECTION_HELP}

Exit codes: 0 valid, 1 NOT valid, 2 bad arguments or file, 3 gateway unreachable or error.`;

interface VerifyAnswer {
  readonly valid: boolean;
  readonly checks: Readonly<Record<string, boolean>>;
}

const CHECK_NAMES: Readonly<Record<string, string>> = {
  hash: 'report unchanged (hash)',
  signature: "provider's signature",
  ledger: 'receipt on the ledger',
  contract: 'usage contract',
  consent: "enterprise's consent",
};

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'verify a report + receipt file (exit 0 valid, 1 not)',
  help: HELP,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, CONNECTION_OPTIONS, 1);
    if (values.help) {
      ctx.io.out(HELP);
      return ExitCode.OK;
    }
    const file = positionals[0];
    if (file === undefined) throw usageError('missing FILE (a JSON file with { report, receipt })');
    const doc = (await readJsonFile(ctx, file, 'report file')) as { report?: unknown; receipt?: unknown } | null;
    if (!isObject(doc) || !isObject(doc.report) || !isObject(doc.receipt)) {
      throw new CliError(CliErrorCode.INPUT, `${file} must hold an object with "report" and "receipt" objects`);
    }
    const connection = await resolveConnection(ctx, { defaultAs: 'guarantor', ...connectionOptions(values) });
    const answer = await createGatewayClient(connection, ctx.fetch).post<VerifyAnswer>('/v1/provenance/verify', {
      report: doc.report,
      receipt: doc.receipt,
    });
    if (values.json) {
      ctx.io.out(JSON.stringify(answer, null, 2));
    } else {
      for (const [name, ok] of Object.entries(answer.checks)) {
        ctx.io.out(`${ok ? 'ok  ' : 'FAIL'}  ${CHECK_NAMES[name] ?? name}`);
      }
      const receipt = doc.receipt as Record<string, unknown>;
      ctx.io.out(
        answer.valid
          ? `VALID: receipt ${String(receipt['receiptId'])} by ${String(receipt['provider'])}, tx ${String(receipt['txId'])}`
          : 'NOT VALID: do not rely on this report',
      );
    }
    return answer.valid ? ExitCode.OK : ExitCode.CHECK_FAILED;
  },
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

