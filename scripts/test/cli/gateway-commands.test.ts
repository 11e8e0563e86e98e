import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { api } from './support/api.js';
import { capture } from './support/capture.js';
import { startDemoGateway, type DemoGateway } from './support/demo-gateway.js';

const PRODUCT = 'sme-credit-score';
let demo: DemoGateway;
let env: Record<string, string>;
const key = (institution: string) => demo.credentials.institutions[institution]!.apiKey;
const uscc = (i: number) => demo.credentials.subjects[i]!.uscc;

/** Runs the CLI in-process against the demo (credentials found through XINLIAN_DATA_DIR). */
async function cli(...argv: string[]) {
  const c = capture(env, demo.dataDir);
  const code = await runCli(argv, c.ctx);
  return { code, stdout: c.stdout(), stderr: c.stderr(), progress: c.progress };
}

beforeAll(async () => {
  demo = await startDemoGateway(50);
  env = { XINLIAN_DATA_DIR: demo.dataDir };
});
afterAll(async () => {
  await demo?.close();
});

describe('xinlian consent sign / grant against the demo gateway', () => {
  it('signs a gateway draft with the subject key so that the gateway records the consent', async () => {
    const draft = await api(demo.url, key('microloan-a'), 'POST', '/v1/consents/draft', {
      uscc: uscc(0),
      grantee: 'microloan-a',
      products: [PRODUCT],
      purpose: 'pre_loan',
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(draft.status).toBe(200);
    await writeFile(join(demo.dataDir, 'draft.json'), JSON.stringify(draft.body));

    const r = await cli('consent', 'sign', '--uscc', uscc(0), '--draft', 'draft.json', '--out', 'signed.json');
    expect(r).toMatchObject({ code: 0 });
    expect(r.stderr).toMatch(/microloan-a may use sme-credit-score for pre_loan/);
    const signed = JSON.parse(await readFile(join(demo.dataDir, 'signed.json'), 'utf8')) as { message: { consentId: string } };
    const created = await api(demo.url, key('microloan-a'), 'POST', '/v1/consents', signed);
    expect(created).toMatchObject({ status: 201, body: { consentId: signed.message.consentId } });
  });

  it('prints the signed consent on stdout without --out', async () => {
    const r = await cli('consent', 'sign', '--uscc', uscc(0), '--draft', 'draft.json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ message: { grantee: 'microloan-a' }, signature: expect.stringMatching(/^0x[0-9a-f]{130}$/) });
  });

  it('grants a consent end to end and prints its id and transaction', async () => {
    const r = await cli('consent', 'grant', '--as', 'microloan-a', '--uscc', uscc(1), '--product', PRODUCT, '--days', '30', '--json');
    expect(r.code).toBe(0);
    const { consentId, txId } = JSON.parse(r.stdout) as { consentId: string; txId: string };
    expect(txId).toEqual(expect.any(String));
    const stored = await api(demo.url, key('microloan-a'), 'GET', `/v1/consents/${consentId}`);
    expect(stored.body).toMatchObject({ grantee: 'microloan-a', products: [PRODUCT], purpose: 'pre_loan', status: 'active' });
  });

  it('exits 3 with the API code when the key is not a registered signer of the subject', async () => {
    const creds = { ...demo.credentials, subjects: [{ uscc: uscc(2), signerPrivateKey: demo.credentials.subjects[3]!.signerPrivateKey }] };
    await writeFile(join(demo.dataDir, 'wrong-key.json'), JSON.stringify(creds));
    const r = await cli('consent', 'grant', '--as', 'microloan-a', '--uscc', uscc(2), '--product', PRODUCT, '--credentials', 'wrong-key.json');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/HTTP 422 CONSENT_INVALID/);
  });

  it('exits 2 for a subject without a key in credentials.json, before calling the gateway', async () => {
    const r = await cli('consent', 'grant', '--as', 'microloan-a', '--uscc', '91350100M000100Y43', '--product', PRODUCT);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no signer key for uscc 91350100M000100Y43/);
  });
});

describe('xinlian verify against the demo gateway', () => {
  let reportFile: string;

  beforeAll(async () => {
    const lender = key('microloan-a');
    const granted = await cli('consent', 'grant', '--as', 'microloan-a', '--uscc', uscc(4), '--product', PRODUCT, '--json');
    const { consentId } = JSON.parse(granted.stdout) as { consentId: string };
    const contract = await api(demo.url, lender, 'POST', '/v1/contracts', { productId: PRODUCT, purpose: 'pre_loan' });
    expect(contract.status).toBe(201);
    const report = await api(demo.url, lender, 'POST', '/v1/risk-reports', { contractId: contract.body['contractId'], consentId, uscc: uscc(4) });
    expect(report.status).toBe(200);
    reportFile = join(demo.dataDir, 'report.json');
    await writeFile(reportFile, JSON.stringify(report.body));
  });

  it('prints every check and exits 0 for a genuine report (as the guarantor by default)', async () => {
    const r = await cli('verify', 'report.json');
    expect(r.code).toBe(0);
    for (const line of ['ok    report unchanged (hash)', "ok    provider's signature", 'ok    receipt on the ledger', 'ok    usage contract', "ok    enterprise's consent"]) {
      expect(r.stdout).toContain(line);
    }
    expect(r.stdout).toMatch(/^VALID: receipt \S+ by credit-data/m);
  });

  it('exits 1 and names the failed check when the report was changed', async () => {
    const doc = JSON.parse(await readFile(reportFile, 'utf8')) as { report: { score: number } };
    doc.report.score = doc.report.score === 1000 ? 999 : doc.report.score + 1;
    await writeFile(join(demo.dataDir, 'tampered.json'), JSON.stringify(doc));
    const r = await cli('verify', 'tampered.json', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: false, checks: { hash: false } });
    const text = await cli('verify', 'tampered.json');
    expect(text.stdout).toMatch(/FAIL  report unchanged \(hash\)[\s\S]*NOT VALID/);
  });

  it('exits 2 for a file without report and receipt', async () => {
    await writeFile(join(demo.dataDir, 'not-a-report.json'), JSON.stringify({ report: 1 }));
    const r = await cli('verify', 'not-a-report.json');
    expect(r).toMatchObject({ code: 2, stderr: expect.stringMatching(/must hold an object with "report" and "receipt"/) });
  });
});

describe('xinlian activity against the demo gateway', () => {
  it("shows the institution's most recent events as a table", async () => {
    const r = await cli('activity', 'microloan-a', '--limit', '2');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^AT\s+BLOCK\s+TYPE\s+DETAILS\s+TX$/);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^the last 2 of \d+ events of microloan-a \(--all shows every one\)$/);
    expect(r.stdout).toMatch(/receipt_recorded|consent_granted|contract_agreed/);
  });

  it('follows the cursors with a progress line when --all spans several pages', async () => {
    const r = await cli('activity', 'operator', '--all', '--page-size', '10', '--type', 'subject_registered', '--json');
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout) as { total: number; events: { type: string; institution: string }[] };
    expect(answer.total).toBe(50);
    expect(answer.events).toHaveLength(50);
    expect(answer.events.every((e) => e.type === 'subject_registered' && e.institution === 'operator')).toBe(true);
    expect(r.progress.length).toBeGreaterThanOrEqual(4);
    expect(r.progress.at(-1)).toMatch(/reading the activity of operator: \d+ events, \d+ pages/);
  });

  it('says so when there are no events', async () => {
    const r = await cli('activity', 'no-such-institution');
    expect(r).toMatchObject({ code: 0, stdout: 'no events of no-such-institution' });
  });

  it('exits 3 with FORBIDDEN when a non-regulator asks', async () => {
    const r = await cli('activity', 'microloan-a', '--as', 'microloan-b');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/HTTP 403 FORBIDDEN/);
  });
});

describe('xinlian integrity against the demo gateway', () => {
  it('exits 0 for an intact ledger, with its height and head hash', async () => {
    const r = await cli('integrity');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^INTACT: \d+ blocks, head [0-9a-f]{64}$/);
  });

  it('exits 3 when the gateway cannot be reached', async () => {
    const port = await closedPort();
    const r = await cli('integrity', '--gateway', `http://127.0.0.1:${port}`);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot reach the gateway at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  });

  it('uses $XINLIAN_API_KEY and $XINLIAN_GATEWAY_URL without credentials.json', async () => {
    const c = capture({ XINLIAN_API_KEY: key('regulator'), XINLIAN_GATEWAY_URL: demo.url, XINLIAN_DATA_DIR: '/nonexistent' }, demo.dataDir);
    expect(await runCli(['integrity', '--json'], c.ctx)).toBe(0);
    expect(JSON.parse(c.stdout())).toMatchObject({ ok: true });
  });

  it('exits 1 and names the block once a block was edited by hand', async () => {
    const ledger = demo.consortium.ledger;
    const original = (await ledger.readBlock(2))!;
    const edited = structuredClone(original) as unknown as { data: { transactions: { proposal: { args: string[] } }[] } };
    edited.data.transactions[0]!.proposal.args.push('tampered');
    await ledger.writeBlockText(2, JSON.stringify(edited));
    try {
      const r = await cli('integrity');
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^BROKEN: \d+ blocks/);
      expect(r.stdout).toMatch(/^ {2}block 2: .*data hash/m);
    } finally {
      await ledger.writeBlockText(2, JSON.stringify(original));
    }
    expect((await cli('integrity')).code).toBe(0);
  });
});

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
