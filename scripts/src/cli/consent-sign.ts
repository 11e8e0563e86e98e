/** `xinlian consent sign`: sign a consent draft with a subject key from credentials.json. */
import { parse, required } from './args.js';
import type { Command } from './command.js';
import { credentialsFile, loadCredentials, subjectKey } from './config.js';
import { describeConsent, signConsentDraft } from './consent-signing.js';
import { ExitCode } from './errors.js';
import { readJsonFile, writeJsonFile } from './files.js';

const HELP = `Usage: xinlian consent sign --uscc USCC --draft FILE [--out FILE] [--credentials FILE]

Signs a consent draft as the enterprise: FILE holds the answer of POST /v1/consents/draft
(or its "typedData"). The draft is checked against xinlian's EIP-712 Consent type and
signed with the subject's signer key from credentials.json. Prints (or writes to --out)
{ "message", "signature" }, the body for POST /v1/consents; a summary of what was signed
goes to stderr.

  --uscc USCC          the enterprise whose key signs
  --draft FILE         the consent draft
  --out FILE           write the signed consent here instead of stdout
  --credentials FILE   demo credentials (default: $XINLIAN_CREDENTIALS, else
                       $XINLIAN_DATA_DIR/demo/credentials.json with data dir ./.xinlian)

The subject token in the draft is not checked here (that needs the consortium key); the
ledger refuses the consent unless this key is a registered signer of that subject.
Exit codes: 0 signed, 2 bad arguments, draft or credentials.`;

export const consentSignCommand: Command = {
  name: 'consent sign',
  summary: 'sign a consent draft with a subject key from credentials.json',
  help: HELP,
  async run(argv, ctx) {
    const { values } = parse(
      argv,
      {
        uscc: { type: 'string' },
        draft: { type: 'string' },
        out: { type: 'string' },
        credentials: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      0,
    );
    if (values.help) {
      ctx.io.out(HELP);
      return ExitCode.OK;
    }
    const uscc = required(values.uscc, 'uscc');
    const draftPath = required(values.draft, 'draft');
    const draft = await readJsonFile(ctx, draftPath, 'draft');
    const key = subjectKey(await loadCredentials(credentialsFile(ctx, values.credentials)), uscc);
    const { signed, summary } = await signConsentDraft(draft, key, ctx.now());
    ctx.io.err(`signed ${describeConsent(summary)}`);
    if (values.out !== undefined) {
      const path = await writeJsonFile(ctx, values.out, signed);
      ctx.io.err(`wrote ${path}`);
    } else {
      ctx.io.out(JSON.stringify(signed, null, 2));
    }
    return ExitCode.OK;
  },
};
