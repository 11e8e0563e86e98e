import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { LedgerError } from '../../../src/errors.js';
import { invalidTransaction, mapGatewayError, publicValidationCode } from '../../../src/fabric/fabric-errors.js';

/** The shape of fabric-gateway's GatewayError / EndorseError. */
function gatewayError(code: number, message: string, details: string[] = []): Error {
  return Object.assign(new Error(message), {
    code,
    details: details.map((m) => ({ address: '127.0.0.1:7010', mspId: 'LenderMSP', message: m })),
  });
}

describe('mapping Fabric failures to coded errors', () => {
  it('finds the chaincode code in an endorsement detail', () => {
    const e = gatewayError(status.ABORTED, '10 ABORTED: failed to endorse transaction, see attached details for more info', [
      'chaincode response 500, [CC_CONSENT_REVOKED] consent c-42 was revoked',
    ]);
    expect(mapGatewayError(e, 'endorse', 'tx1')).toMatchObject({
      name: 'ChaincodeError', code: 'CC_CONSENT_REVOKED', message: '[CC_CONSENT_REVOKED] consent c-42 was revoked', recorded: false, txId: 'tx1',
    });
  });

  it('finds the chaincode code in an evaluate message without details', () => {
    const e = gatewayError(status.UNKNOWN, '2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, [CC_NOT_FOUND] no consent c-1');
    expect(mapGatewayError(e, 'evaluate')).toMatchObject({ name: 'ChaincodeError', code: 'CC_NOT_FOUND' });
  });

  it('maps unreachable nodes and the chaincode service to LEDGER_UNAVAILABLE', () => {
    expect(mapGatewayError(gatewayError(status.UNAVAILABLE, '14 UNAVAILABLE: No connection established'), 'endorse')).toMatchObject({
      name: 'LedgerError', code: 'LEDGER_UNAVAILABLE',
    });
    const ccDown = gatewayError(status.ABORTED, '10 ABORTED: failed to endorse', [
      'error in simulation: failed to execute transaction: could not launch chaincode xinlian_1.0:abc: connection refused',
    ]);
    expect(mapGatewayError(ccDown, 'endorse', 'tx2')).toMatchObject({ code: 'LEDGER_UNAVAILABLE', txId: 'tx2' });
    expect(mapGatewayError(gatewayError(status.UNKNOWN, 'no idea'), 'submit')).toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
  });

  it('maps deadlines to LEDGER_TIMEOUT', () => {
    expect(mapGatewayError(gatewayError(status.DEADLINE_EXCEEDED, '4 DEADLINE_EXCEEDED'), 'commit', 'tx3')).toMatchObject({
      code: 'LEDGER_TIMEOUT', txId: 'tx3',
    });
  });

  it('maps other endorsement failures to LEDGER_ENDORSEMENT_FAILED', () => {
    const e = gatewayError(status.ABORTED, '10 ABORTED: failed to endorse', ['access denied: channel [xinlian] creator org [NopeMSP]']);
    expect(mapGatewayError(e, 'endorse')).toMatchObject({ name: 'LedgerError', code: 'LEDGER_ENDORSEMENT_FAILED' });
  });

  it('passes coded errors through and never throws for odd input', () => {
    const coded = new LedgerError('LEDGER_BAD_REQUEST', 'x');
    expect(mapGatewayError(coded, 'submit')).toBe(coded);
    expect(mapGatewayError(undefined, 'evaluate')).toMatchObject({ code: 'LEDGER_ENDORSEMENT_FAILED' });
    expect(mapGatewayError('text', 'commit')).toMatchObject({ code: 'LEDGER_UNAVAILABLE' });
  });

  it('maps commit validation codes like the embedded ledger', () => {
    expect(invalidTransaction(11, 't')).toMatchObject({ code: 'LEDGER_MVCC_READ_CONFLICT', txId: 't', message: 'transaction t invalidated: MVCC_READ_CONFLICT' });
    expect(invalidTransaction(12, 't')).toMatchObject({ code: 'LEDGER_MVCC_READ_CONFLICT' });
    expect(invalidTransaction(10, 't')).toMatchObject({ code: 'LEDGER_INVALID_TRANSACTION', message: 'transaction t invalidated: ENDORSEMENT_POLICY_FAILURE' });
    expect([0, 11, 12, 10, 2, 9, 254].map(publicValidationCode)).toEqual([
      'VALID', 'MVCC_READ_CONFLICT', 'MVCC_READ_CONFLICT', 'ENDORSEMENT_POLICY_FAILURE', 'BAD_PAYLOAD', 'BAD_PAYLOAD', 'BAD_PAYLOAD',
    ]);
  });
});
