import { ChaincodeRefusal, CodedError, ErrorCode, errorCodeOf, isCodedError } from '@xinlian/chaincode';
import { describe, expect, it } from 'vitest';

class SampleError extends CodedError {}

describe('CodedError', () => {
  it('carries code, message, details and the subclass name', () => {
    const e = new SampleError('SAMPLE_CODE', 'something failed', { id: 'x1' });
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({ name: 'SampleError', code: 'SAMPLE_CODE', message: 'something failed', details: { id: 'x1' } });
    expect(new CodedError('C', 'm').name).toBe('CodedError');
    expect('details' in new CodedError('C', 'm')).toBe(false);
  });

  it('isCodedError accepts instances and plain coded objects, optionally of one code', () => {
    const e = new SampleError('SAMPLE_CODE', 'x');
    expect(isCodedError(e)).toBe(true);
    expect(isCodedError(e, 'SAMPLE_CODE')).toBe(true);
    expect(isCodedError(e, 'OTHER')).toBe(false);
    // a coded error that crossed a process boundary
    expect(isCodedError({ code: 'CC_NOT_FOUND', message: 'gone' }, 'CC_NOT_FOUND')).toBe(true);
    expect(isCodedError(JSON.parse(JSON.stringify({ code: 'X', message: 'y' })))).toBe(true);
    for (const no of [null, undefined, 'CC_NOT_FOUND', 42, new Error('plain'), { code: 1, message: 'm' }, { code: 'C' }, { message: 'm' }]) {
      expect(isCodedError(no)).toBe(false);
    }
  });

  it('ChaincodeRefusal is a CodedError whose message keeps the [CODE] prefix', () => {
    const e = new ChaincodeRefusal(ErrorCode.LENDING_SEQUENCE, 'overdue without a loan');
    expect(e).toBeInstanceOf(CodedError);
    expect(e).toMatchObject({ name: 'ChaincodeRefusal', code: 'CC_LENDING_SEQUENCE', message: '[CC_LENDING_SEQUENCE] overdue without a loan' });
    expect(isCodedError(e, 'CC_LENDING_SEQUENCE')).toBe(true);
    expect(errorCodeOf(e)).toBe('CC_LENDING_SEQUENCE');
    expect(errorCodeOf(new Error(e.message))).toBe('CC_LENDING_SEQUENCE');
  });
});
