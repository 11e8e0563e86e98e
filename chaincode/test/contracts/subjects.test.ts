import { beforeEach, describe, expect, it } from 'vitest';
import { Consortium, OTHER_SUBJECT, SUBJECT, newConsortium, walletOf } from '../support/consortium.js';

describe('subjects', () => {
  let c: Consortium;
  beforeEach(async () => {
    c = await newConsortium();
  });
  const signers = (...names: string[]) => JSON.stringify(names.map((n) => walletOf(n).address.toLowerCase()));

  it('registers a subject token with EIP-55 signers', async () => {
    const s = await c.submit(c.m.operator, 'subjects:Register', OTHER_SUBJECT, signers('s1', 's2'));
    expect(s).toMatchObject({ subjectToken: OTHER_SUBJECT, signers: [walletOf('s1').address, walletOf('s2').address], registeredBy: 'operator' });
    expect(c.ledger.events.at(-1)).toMatchObject({ name: 'subject_registered', payload: { subjectToken: OTHER_SUBJECT, signers: 2 } });
    expect(await c.evaluate(c.m.lenderA, 'subjects:Get', OTHER_SUBJECT)).toMatchObject({ subjectToken: OTHER_SUBJECT });
  });

  it('refuses registration by a non-operator and duplicate tokens', async () => {
    await c.expectDenied(c.m.lenderA, 'CC_FORBIDDEN', 'subjects:Register', OTHER_SUBJECT, signers('s1'));
    await c.expectDenied(c.m.operator, 'CC_CONFLICT', 'subjects:Register', SUBJECT, signers('s1'));
  });

  it('refuses anything but a blinded token, and bad signer lists', async () => {
    await c.expectThrows(c.m.operator, 'CC_BAD_REQUEST', 'subjects:Register', '91350100M000100Y43', signers('s1'));
    await c.expectThrows(c.m.operator, 'CC_BAD_REQUEST', 'subjects:Register', '0x' + 'AB'.repeat(32), signers('s1'));
    await c.expectThrows(c.m.operator, 'CC_BAD_REQUEST', 'subjects:Register', OTHER_SUBJECT, '[]');
    await c.expectThrows(c.m.operator, 'CC_BAD_REQUEST', 'subjects:Register', OTHER_SUBJECT, signers('s1', 's1'));
    await c.expectThrows(c.m.operator, 'CC_BAD_REQUEST', 'subjects:Register', OTHER_SUBJECT, '["0xnotanaddress"]');
  });

  it('rotates signers; only the operator may, only for a known subject', async () => {
    const s = await c.submit(c.m.operator, 'subjects:RotateSigners', SUBJECT, signers('s9'));
    expect(s).toMatchObject({ signers: [walletOf('s9').address] });
    expect(c.ledger.events.at(-1)).toMatchObject({ name: 'subject_signers_rotated' });
    await c.expectDenied(c.m.provider, 'CC_FORBIDDEN', 'subjects:RotateSigners', SUBJECT, signers('s1'));
    await c.expectDenied(c.m.operator, 'CC_NOT_FOUND', 'subjects:RotateSigners', OTHER_SUBJECT, signers('s1'));
  });

  it('a consent signed by a rotated-out signer is refused', async () => {
    await c.submit(c.m.operator, 'subjects:RotateSigners', SUBJECT, signers('s9'));
    const message = c.consentMessage();
    await c.expectDenied(c.m.lenderA, 'CC_BAD_SIGNATURE', 'consents:Grant', JSON.stringify(message), await c.signConsent(message));
    const ok = c.consentMessage();
    const r = await c.submit(c.m.lenderA, 'consents:Grant', JSON.stringify(ok), await c.signConsent(ok, walletOf('s9')));
    expect(r).toMatchObject({ consentId: ok.consentId, signer: walletOf('s9').address });
  });

  it('throws CC_NOT_FOUND for an unknown subject', async () => {
    await expect(c.ledger.evaluate(c.m.lenderA.identity, 'subjects:Get', [OTHER_SUBJECT])).rejects.toThrow(/^\[CC_NOT_FOUND\]/);
  });
});
