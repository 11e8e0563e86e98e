import { describe, expect, it } from 'vitest';
import { COMMANDS, runCli } from '../../src/cli/main.js';
import { capture } from './support/capture.js';

/** Runs the CLI in-process with no credentials anywhere (nothing here reaches a gateway). */
async function cli(...argv: string[]) {
  const c = capture({ XINLIAN_DATA_DIR: '/nonexistent/xinlian' }, '/nonexistent');
  const code = await runCli(argv, c.ctx);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

describe('xinlian help', () => {
  it('lists every command and the exit codes with --help, exit 0', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(c.name);
    expect(r.stdout).toMatch(/Exit codes: 0 ok, 1 a check failed, 2 usage error/);
  });

  it('prints the usage on stderr and exits 2 without a command', async () => {
    const r = await cli();
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^Usage: xinlian <command>/);
  });

  it.each(COMMANDS.map((c) => [c.name]))('shows the help of "%s" with --help and with help <command>', async (name) => {
    const words = name.split(' ');
    const a = await cli(...words, '--help');
    const b = await cli('help', ...words);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(new RegExp(`^Usage: xinlian ${name}`));
    expect(a.stdout).toMatch(/Exit codes:/);
    expect(b).toEqual(a);
  });

  it('lists the consent subcommands for "consent --help", and exits 2 for a bare "consent"', async () => {
    expect(await cli('consent', '--help')).toMatchObject({ code: 0, stdout: expect.stringMatching(/consent sign[\s\S]*consent grant/) });
    expect(await cli('consent')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^Usage: xinlian consent <sign\|grant>/) });
  });
});

describe('xinlian usage errors exit 2 with a clear message', () => {
  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['consent', 'burn'], /unknown command "consent burn"/],
    [['integrity', '--bogus'], /Unknown option '--bogus'/],
    [['integrity', 'extra'], /unexpected argument "extra"/],
    [['verify'], /missing FILE/],
    [['activity'], /missing INSTITUTION/],
    [['activity', 'bad id!'], /institution "bad id!" is not a valid id/],
    [['activity', 'x', '--limit', '0'], /--limit must be an integer from 1 to 1000, got "0"/],
    [['activity', 'x', '--limit', 'ten'], /--limit must be an integer/],
    [['activity', 'x', '--since', 'yesterday'], /--since must be an ISO time or an age/],
    [['activity', 'x', '--type', 'nonsense'], /--type must be one of institution_admitted/],
    [['consent', 'sign', '--draft', 'd.json'], /missing --uscc/],
    [['consent', 'sign', '--uscc', '91350100M000100Y43'], /missing --draft/],
    [['consent', 'grant', '--uscc', 'u', '--product', 'p'], /missing --as/],
    [['consent', 'grant', '--as', 'a', '--uscc', 'u'], /missing --product/],
    [['consent', 'grant', '--as', 'a', '--uscc', 'u', '--product', 'p', '--purpose', 'fun'], /--purpose must be one of pre_loan/],
    [['consent', 'grant', '--as', 'a', '--uscc', 'u', '--product', 'p', '--days', '9999'], /--days must be an integer from 1 to 3650/],
  ])('%j', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('points at npm start when credentials.json is missing', async () => {
    const r = await cli('integrity');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read credentials \/nonexistent\/xinlian\/demo\/credentials\.json: .*start the demo with `npm start`/);
  });

  it('refuses a gateway URL that is not http(s)', async () => {
    const c = capture({ XINLIAN_API_KEY: 'k'.repeat(32) }, '/');
    expect(await runCli(['integrity', '--gateway', 'ftp://example.org'], c.ctx)).toBe(2);
    expect(c.stderr()).toMatch(/must be http:\/\/ or https:\/\//);
  });
});
