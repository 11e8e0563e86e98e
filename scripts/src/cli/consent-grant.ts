/** `xinlian consent grant`: draft through the gateway, sign locally as the subject, submit. */
import { PURPOSES } from '@xinlian/chaincode';
import { CONNECTION_HELP, CONNECTION_OPTIONS, connectionOptions, idArgument, integerOption, parse, required } from './args.js';
import type { Command } from './command.js';
import { credentialsFile, loadCredentials, resolveConnection, subjectKey } from './config.js';
import { describeConsent, signConsentDraft } from './consent-signing.js';
import { ExitCode, usageError } from './errors.js';
import { createGatewayClient } from './gateway-client.js';

const HELP = `Usage: xinlian consent grant --as INSTITUTION --uscc USCC --product ID [--product ID ...]
                             [--purpose pre_loan] [--days 90] [--grantee INSTITUTION]

Grants a consent end to end, as a demo of the enterprise's app: asks the gateway for a
draft (POST /v1/consents/draft), signs it with the subject's key from credentials.json,
and records it (POST /v1/consents). Prints the consentId and the transaction id.

  --as INSTITUTION     who calls the gateway (an institution id in credentials.json)
  --uscc USCC          the enterprise granting the consent
  --product ID         a product the consent covers (repeatable)
  --purpose P          ${PURPOSES.join(' | ')} (default pre_loan)
  --days N             validity in days, 1-3650 (default 90)
  --grantee ID         the institution receiving the consent (default: --as)

${CONNECTION_HELP}

Exit codes: 0 granted, 2 bad arguments or credentials, 3 gateway unreachable or refused
(e.g. HTTP 422 CONSENT_INVALID when the key is not a registered signer of the subject).`;

export const consentGrantCommand: Command = {
  name: 'consent grant',
  summary: 'draft, sign (as the subject) and record a consent in one go',
  help: HELP,
  async run(argv, ctx) {
    const { values } = parse(
      argv,
      {
        ...CONNECTION_OPTIONS,
        uscc: { type: 'string' },
        product: { type: 'string', multiple: true },
        purpose: { type: 'string', default: 'pre_loan' },
        days: { type: 'string', default: '90' },
        grantee: { type: 'string' },
      },
      0,
    );
    if (values.help) {
      ctx.io.out(HELP);
      return ExitCode.OK;
    }
    const as = idArgument('--as', required(values.as, 'as'));
    const uscc = required(values.uscc, 'uscc');
    const products = required(values.product, 'product').map((p) => idArgument('--product', p));
    if (!(PURPOSES as readonly string[]).includes(values.purpose)) {
      throw usageError(`--purpose must be one of ${PURPOSES.join(', ')}, got "${values.purpose}"`);
    }
    const days = integerOption('days', values.days, 1, 3650);
    const grantee = idArgument('--grantee', values.grantee ?? as);

    const credentials = await loadCredentials(credentialsFile(ctx, values.credentials));
    const key = subjectKey(credentials, uscc);
    const connection = await resolveConnection(ctx, { ...connectionOptions(values), as });
    const gateway = createGatewayClient(connection, ctx.fetch);

    const validUntil = new Date(ctx.now().getTime() + days * 86_400_000).toISOString();
    const draft = await gateway.post<unknown>('/v1/consents/draft', { uscc, grantee, products, purpose: values.purpose, validUntil });
    const { signed, summary } = await signConsentDraft(draft, key, ctx.now());
    const created = await gateway.post<{ consentId: string; txId: string }>('/v1/consents', signed);
    if (values.json) {
      ctx.io.out(JSON.stringify(created, null, 2));
    } else {
      ctx.io.out(`granted ${describeConsent(summary)}`);
      ctx.io.out(`consentId ${created.consentId}`);
      ctx.io.out(`txId      ${created.txId}`);
    }
    return ExitCode.OK;
  },
};
