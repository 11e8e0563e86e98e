/** `xinlian integrity`: have the gateway re-check the whole chain of blocks. */
import { CONNECTION_HELP, CONNECTION_OPTIONS, connectionOptions, parse } from './args.js';
import type { Command } from './command.js';
import { resolveConnection } from './config.js';
import { ExitCode } from './errors.js';
import { createGatewayClient } from './gateway-client.js';

const HELP = `Usage: xinlian integrity [--as regulator]

Re-checks the ledger's whole chain of blocks (GET /v1/audit/integrity): hash links, data
hashes, transaction signatures. Regulator only.

  --as INSTITUTION     who asks (default regulator, or $XINLIAN_API_KEY when set)

${CONNECTION_HELP}

Exit codes: 0 intact, 1 broken, 2 bad arguments, 3 gateway unreachable or error.`;

/** Re-checking a long chain takes a while. */
const INTEGRITY_TIMEOUT_MS = 15 * 60_000;

interface IntegrityAnswer {
  readonly ok: boolean;
  readonly height: number;
  readonly headHash: string;
  readonly problems?: readonly { readonly block: number; readonly reason: string }[];
}

export const integrityCommand: Command = {
  name: 'integrity',
  summary: "check the ledger's integrity (exit 0 intact, 1 broken)",
  help: HELP,
  async run(argv, ctx) {
    const { values } = parse(argv, CONNECTION_OPTIONS, 0);
    if (values.help) {
      ctx.io.out(HELP);
      return ExitCode.OK;
    }
    const connection = await resolveConnection(ctx, { defaultAs: 'regulator', ...connectionOptions(values) });
    ctx.io.progress('re-checking every block of the ledger…');
    let answer: IntegrityAnswer;
    try {
      answer = await createGatewayClient(connection, ctx.fetch).get<IntegrityAnswer>('/v1/audit/integrity', {}, INTEGRITY_TIMEOUT_MS);
    } finally {
      ctx.io.progressDone();
    }
    if (values.json) {
      ctx.io.out(JSON.stringify(answer, null, 2));
    } else {
      ctx.io.out(`${answer.ok ? 'INTACT' : 'BROKEN'}: ${answer.height} blocks, head ${answer.headHash}`);
      for (const p of answer.problems ?? []) ctx.io.out(`  block ${p.block}: ${p.reason}`);
    }
    return answer.ok ? ExitCode.OK : ExitCode.CHECK_FAILED;
  },
};
