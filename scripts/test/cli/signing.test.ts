import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consentTypedData, EIP712_DOMAIN, EIP712_TYPES, type ConsentMessage } from '@xinlian/chaincode';
import { verifyTypedData, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signConsentDraft } from '../../src/cli/consent-signing.js';
import { sinceToIso } from '../../src/cli/activity.js';
import { runCli } from '../../src/cli/main.js';
import { formatTable } from '../../src/cli/table.js';
import { capture } from './support/capture.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const subject = Wallet.createRandom();
const USCC = '91350100M000100Y43';

function newConsent(overrides: Partial<ConsentMessage> = {}): ConsentMessage {
  return {
    consentId: 'cst-1',
    subjectToken: `0x${'ab'.repeat(32)}`,
    grantee: 'microloan-a',
    products: ['sme-credit-score'],
    purpose: 'pre_loan',
    validUntil: NOW.getTime() / 1000 + 86_400,
    issuedAt: NOW.getTime() / 1000,
    ...overrides,
  };
}

/** A draft exactly as the gateway serves it, after JSON. */
const draftOf = (m: ConsentMessage) => JSON.parse(JSON.stringify({ typedData: consentTypedData(m) })) as { typedData: Record<string, unknown> };

describe('signing a consent draft', () => {
  it('signs with the subject key a signature that recovers to the subject over the Consent type', async () => {
    const m = newConsent();
    const { signed, summary } = await signConsentDraft(draftOf(m), subject.privateKey, NOW);
    expect(verifyTypedData({ ...EIP712_DOMAIN }, { Consent: [...EIP712_TYPES.Consent] }, m, signed.signature)).toBe(subject.address);
    expect(signed.message).toEqual(m);
    expect(summary).toMatchObject({ consentId: 'cst-1', signer: subject.address, validUntil: '2026-03-02T00:00:00.000Z' });
  });

  it('accepts the bare typedData as well as the { typedData } answer', async () => {
    const m = newConsent();
    const a = await signConsentDraft(draftOf(m), subject.privateKey, NOW);
    const b = await signConsentDraft(draftOf(m).typedData, subject.privateKey, NOW);
    expect(b.signed).toEqual(a.signed);
  });

  it.each([
    ['another primary type', (d: Record<string, unknown>) => void (d['primaryType'] = 'UsageContract'), /primaryType/],
    ['another domain', (d: Record<string, unknown>) => void (d['domain'] = { name: 'xinlian', version: '2' }), /domain/],
    ['a changed Consent type', (d: Record<string, unknown>) => void ((d['types'] as Record<string, { name: string }[]>)['Consent']![2]!.name = 'recipient'), /types\.Consent differs/],
    ['a malformed subject token', (d: Record<string, unknown>) => void ((d['message'] as Record<string, unknown>)['subjectToken'] = '91350100M000100Y43'), /subjectToken/],
    ['an unknown purpose', (d: Record<string, unknown>) => void ((d['message'] as Record<string, unknown>)['purpose'] = 'marketing'), /purpose/],
    ['no products', (d: Record<string, unknown>) => void ((d['message'] as Record<string, unknown>)['products'] = []), /products/],
    ['a non-numeric validUntil', (d: Record<string, unknown>) => void ((d['message'] as Record<string, unknown>)['validUntil'] = 'soon'), /validUntil/],
  ])('refuses a draft with %s (CLI_INPUT)', async (_what, edit, message) => {
    const draft = draftOf(newConsent());
    edit(draft.typedData);
    await expect(signConsentDraft(draft, subject.privateKey, NOW)).rejects.toMatchObject({ name: 'CliError', code: 'CLI_INPUT', message });
  });

  it('refuses an expired draft', async () => {
    const draft = draftOf(newConsent({ validUntil: NOW.getTime() / 1000 - 1 }));
    await expect(signConsentDraft(draft, subject.privateKey, NOW)).rejects.toMatchObject({ code: 'CLI_INPUT', message: /expired at 2026-02-28T23:59:59/ });
  });

  it('refuses a signer key that is not a private key', async () => {
    await expect(signConsentDraft(draftOf(newConsent()), '0x1234', NOW)).rejects.toMatchObject({ code: 'CLI_INPUT', message: /not a valid private key/ });
  });
});

describe('xinlian consent sign with local files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xinlian-cli-sign-'));
    await writeFile(join(dir, 'credentials.json'), JSON.stringify({ institutions: {}, subjects: [{ uscc: USCC, signerPrivateKey: subject.privateKey }] }));
    await writeFile(join(dir, 'draft.json'), JSON.stringify(draftOf(newConsent())));
    await writeFile(join(dir, 'broken.json'), '{ "typedData": ');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const run = async (...argv: string[]) => {
    const c = capture({ XINLIAN_CREDENTIALS: 'credentials.json' }, dir, () => NOW);
    return { code: await runCli(argv, c.ctx), stdout: c.stdout(), stderr: c.stderr() };
  };

  it('prints { message, signature } for POST /v1/consents', async () => {
    const r = await run('consent', 'sign', '--uscc', USCC, '--draft', 'draft.json');
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { message: ConsentMessage; signature: string };
    expect(verifyTypedData({ ...EIP712_DOMAIN }, { Consent: [...EIP712_TYPES.Consent] }, body.message, body.signature)).toBe(subject.address);
  });

  it.each([
    [['--draft', 'missing.json'], /cannot read draft .*missing\.json: ENOENT/],
    [['--draft', 'broken.json'], /draft .*broken\.json is not JSON/],
    [['--draft', 'credentials.json'], /consent draft: primaryType is undefined/],
  ])('exits 2 for a bad draft file %j', async (args, message) => {
    const r = await run('consent', 'sign', '--uscc', USCC, ...args);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(message);
  });
});

describe('small helpers', () => {
  it('turns --since ages and ISO dates into ISO times', () => {
    expect(sinceToIso('30m', NOW)).toBe('2026-02-28T23:30:00.000Z');
    expect(sinceToIso('7d', NOW)).toBe('2026-02-22T00:00:00.000Z');
    expect(sinceToIso('2026-01-15', NOW)).toBe('2026-01-15T00:00:00.000Z');
    expect(() => sinceToIso('7w', NOW)).toThrow(expect.objectContaining({ code: 'CLI_USAGE' }));
  });

  it('pads table columns to their widest cell', () => {
    expect(formatTable(['A', 'BB', 'C'], [['xxx', 'y', 'last'], ['z', 'wwww', '']])).toEqual(['A    BB    C', 'xxx  y     last', 'z    wwww']);
  });
});
