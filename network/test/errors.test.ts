import { describe, expect, it } from 'vitest';
import { CodedError, isCodedError } from '@xinlian/chaincode';
import { ChaincodeError, LedgerError, isChaincodeError, isLedgerError, parseChaincodeMessage } from '../src/errors.js';

describe('parseChaincodeMessage', () => {
  it('finds the code inside Fabric prose', () => {
    const text = 'chaincode response 500, [CC_CONSENT_REVOKED] consent c-42 was revoked';
    expect(parseChaincodeMessage(text)).toEqual({
      code: 'CC_CONSENT_REVOKED',
      message: '[CC_CONSENT_REVOKED] consent c-42 was revoked',
    });
  });
  it('returns undefined without a code', () => {
    expect(parseChaincodeMessage('connection refused')).toBeUndefined();
  });
});

describe('error guards', () => {
  it('compare codes, not classes', () => {
    const l = new LedgerError('LEDGER_UNAVAILABLE', 'down');
    const c = new ChaincodeError('CC_NOT_FOUND', 'nope', { txId: 't1' });
    expect(isLedgerError(l, 'LEDGER_UNAVAILABLE')).toBe(true);
    expect(isLedgerError(l, 'LEDGER_TIMEOUT')).toBe(false);
    expect(isChaincodeError(c, 'CC_NOT_FOUND')).toBe(true);
    expect(isChaincodeError(l)).toBe(false);
    expect(c.recorded).toBe(false);
  });
});

describe('the shared coded error', () => {
  it('LedgerError and ChaincodeError are CodedErrors with their code, txId and cause', () => {
    const cause = new Error('disk');
    const l = new LedgerError('LEDGER_UNAVAILABLE', 'down', { cause, txId: 't0' });
    const c = new ChaincodeError('CC_NOT_FOUND', 'nope', { txId: 't1', recorded: true, blockNumber: 3n });
    for (const e of [l, c]) expect(e).toBeInstanceOf(CodedError);
    expect(isCodedError(l, 'LEDGER_UNAVAILABLE')).toBe(true);
    expect(isCodedError(c, 'CC_NOT_FOUND')).toBe(true);
    expect(l).toMatchObject({ name: 'LedgerError', code: 'LEDGER_UNAVAILABLE', message: 'down', cause, txId: 't0', details: { txId: 't0' } });
    expect(c).toMatchObject({ name: 'ChaincodeError', code: 'CC_NOT_FOUND', txId: 't1', recorded: true, blockNumber: 3n });
  });
});
