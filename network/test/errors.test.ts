import { describe, expect, it } from 'vitest';
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
