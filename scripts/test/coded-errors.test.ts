import { CodedError, isCodedError } from '@xinlian/chaincode';
import { describe, expect, it } from 'vitest';
import { CliError, isCliError } from '../src/cli/errors.js';
import { DemoError, isDemoError } from '../src/demo/demo-error.js';
import { SyntheticOptionsError } from '../src/synthetic/index.js';

describe("scripts' errors are the shared CodedError", () => {
  it.each([
    [new CliError('CLI_HTTP', 'gateway said 403', { status: 403, apiCode: 'FORBIDDEN' }), 'CliError', 'CLI_HTTP'],
    [new DemoError('DEMO_FABRIC_DOWN', 'no network', { cause: new Error('x') }), 'DemoError', 'DEMO_FABRIC_DOWN'],
    [new SyntheticOptionsError('count must be…'), 'SyntheticOptionsError', 'SYNTH_BAD_OPTIONS'],
  ])('%s', (e, name, code) => {
    expect(e).toBeInstanceOf(CodedError);
    expect(e).toMatchObject({ name, code });
    expect(isCodedError(e, code)).toBe(true);
  });

  it('keeps the details a caller reads, and the kind checks tell the classes apart', () => {
    const cli = new CliError('CLI_HTTP', 'no', { status: 422, apiCode: 'CONSENT_INVALID', rule: 'r1', cause: new Error('c') });
    expect(cli).toMatchObject({ status: 422, apiCode: 'CONSENT_INVALID', rule: 'r1', exitCode: 3, details: { status: 422, apiCode: 'CONSENT_INVALID', rule: 'r1' } });
    expect(cli.cause).toBeInstanceOf(Error);
    expect(isCliError(cli, 'CLI_HTTP')).toBe(true);
    expect(isDemoError(cli)).toBe(false);
    expect(isDemoError({ name: 'DemoError', code: 'DEMO_BAD_OPTION', message: 'crossed a process boundary' }, 'DEMO_BAD_OPTION')).toBe(true);
  });
});
