/** `xinlian activity`: an institution's audit events on the ledger, as a table. */
import { AUDIT_TYPES } from '@xinlian/chaincode';
import { CONNECTION_HELP, CONNECTION_OPTIONS, connectionOptions, idArgument, integerOption, parse } from './args.js';
import type { Command } from './command.js';
import { resolveConnection } from './config.js';
import { CliError, CliErrorCode, ExitCode, usageError } from './errors.js';
import { createGatewayClient } from './gateway-client.js';
import { formatTable, truncate } from './table.js';

const HELP = `Usage: xinlian activity INSTITUTION [--limit 20] [--all] [--since 7d] [--type TYPE] [--as regulator]
                        [--page-size 1000]

Shows what an institution did on the ledger (GET /v1/audit/events), oldest first: by
default its most recent --limit events, with --all every event. The gateway pages its
answer; every page is read (a progress line on stderr counts them), so --since keeps a
long history short. Regulator only.

  --limit N            how many of the most recent events to show, 1-1000 (default 20)
  --all                show every event instead
  --since WHEN         only events at or after WHEN: an ISO time, or an age like 30m, 24h, 7d
  --type TYPE          only events of this type (${AUDIT_TYPES.join(', ')})
  --page-size N        events per request, 1-1000 (default 1000)
  --as INSTITUTION     who asks (default regulator, or $XINLIAN_API_KEY when set)

${CONNECTION_HELP}

Exit codes: 0 shown (also when there are none), 2 bad arguments, 3 gateway unreachable or error.`;

/** The largest page the API serves. */
const MAX_PAGE_SIZE = 1000;
const SHOWN_KEYS = new Set(['txId', 'block', 'type', 'institution', 'at']);

interface AuditEvent {
  readonly txId: string;
  readonly block: number;
  readonly type: string;
  readonly institution: string;
  readonly at: string;
  readonly [detail: string]: unknown;
}

interface AuditPage {
  readonly events: readonly AuditEvent[];
  readonly cursor?: string;
}

export const activityCommand: Command = {
  name: 'activity',
  summary: "show an institution's recent activity on the ledger",
  help: HELP,
  async run(argv, ctx) {
    const { values, positionals } = parse(
      argv,
      {
        ...CONNECTION_OPTIONS,
        limit: { type: 'string', default: '20' },
        all: { type: 'boolean', default: false },
        since: { type: 'string' },
        type: { type: 'string' },
        'page-size': { type: 'string', default: String(MAX_PAGE_SIZE) },
      },
      1,
    );
    if (values.help) {
      ctx.io.out(HELP);
      return ExitCode.OK;
    }
    if (positionals[0] === undefined) throw usageError('missing INSTITUTION (an institution id)');
    const institution = idArgument('institution', positionals[0]);
    const limit = integerOption('limit', values.limit, 1, 1000);
    const pageSize = integerOption('page-size', values['page-size'], 1, MAX_PAGE_SIZE);
    if (values.type !== undefined && !(AUDIT_TYPES as readonly string[]).includes(values.type)) {
      throw usageError(`--type must be one of ${AUDIT_TYPES.join(', ')}, got "${values.type}"`);
    }
    const from = values.since === undefined ? undefined : sinceToIso(values.since, ctx.now());
    const connection = await resolveConnection(ctx, { defaultAs: 'regulator', ...connectionOptions(values) });
    const gateway = createGatewayClient(connection, ctx.fetch);

    let kept: AuditEvent[] = [];
    let total = 0;
    let cursor: string | undefined;
    const seen = new Set<string>();
    try {
      for (let page = 1; ; page++) {
        const answer = await gateway.get<AuditPage>('/v1/audit/events', {
          institution,
          type: values.type,
          from,
          limit: pageSize,
          cursor,
        });
        total += answer.events.length;
        kept.push(...answer.events);
        if (!values.all && kept.length > limit) kept = kept.slice(-limit);
        if (answer.cursor === undefined) break;
        if (seen.has(answer.cursor)) {
          throw new CliError(CliErrorCode.HTTP, `the gateway returned the same cursor twice (page ${page}); stopping`);
        }
        seen.add(answer.cursor);
        cursor = answer.cursor;
        ctx.io.progress(`reading the activity of ${institution}: ${total} events, ${page} pages…`);
      }
    } finally {
      ctx.io.progressDone();
    }

    if (values.json) {
      ctx.io.out(JSON.stringify({ institution, total, events: kept }, null, 2));
      return ExitCode.OK;
    }
    if (total === 0) {
      ctx.io.out(`no events of ${institution}${from ? ` since ${from}` : ''}`);
      return ExitCode.OK;
    }
    const rows = kept.map((e) => [e.at, String(e.block), e.type, truncate(detailsOf(e), 72), e.txId]);
    for (const line of formatTable(['AT', 'BLOCK', 'TYPE', 'DETAILS', 'TX'], rows)) ctx.io.out(line);
    ctx.io.out(
      kept.length === total
        ? `${total} events of ${institution}${from ? ` since ${from}` : ''}`
        : `the last ${kept.length} of ${total} events of ${institution}${from ? ` since ${from}` : ''} (--all shows every one)`,
    );
    return ExitCode.OK;
  },
};

/** `key=value` for every field but the table's own columns (and copies of the tx id). */
function detailsOf(e: AuditEvent): string {
  return Object.entries(e)
    .filter(([k, v]) => !SHOWN_KEYS.has(k) && v !== e.txId)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

const AGE = /^([0-9]{1,6})([mhd])$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * `--since` as an ISO time: an age (`30m`, `24h`, `7d`) before `now`, or an ISO date/time.
 * @throws CliError `CLI_USAGE` when it is neither.
 */
export function sinceToIso(text: string, now: Date): string {
  const age = AGE.exec(text);
  if (age) return new Date(now.getTime() - Number(age[1]) * UNIT_MS[age[2] as keyof typeof UNIT_MS]).toISOString();
  const t = /^[0-9]{4}-[0-9]{2}-[0-9]{2}/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(t)) throw usageError(`--since must be an ISO time or an age like 30m, 24h, 7d; got "${text}"`);
  return new Date(t).toISOString();
}
