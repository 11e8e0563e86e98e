import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import {
  checkFreshness,
  decodeEnvelope,
  encodeEnvelope,
  isP2PError,
  newEnvelope,
  P2PErrorCode,
  Protocols,
  protocolId,
  recoverEnvelopeSigner,
  signEnvelope,
  verifyEnvelopeSignature,
  type SignedEnvelope,
} from '../../src/p2p/index.js';

const wallet = new Wallet('0x' + '11'.repeat(32));
const limits = { maxTtlMs: 120_000, clockSkewMs: 30_000 };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isP2PError(e) ? e.code : 'not a P2PError';
  }
  return undefined;
}

async function signedRequest(overrides: Record<string, unknown> = {}): Promise<SignedEnvelope> {
  const envelope = newEnvelope({ kind: 'request', protocol: Protocols.CATALOG, from: 'inst-a', to: 'inst-b', body: { q: 1 }, now: 1_000_000 });
  return signEnvelope({ ...envelope, ...overrides }, wallet);
}

function reencode(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

describe('protocol ids', () => {
  it('are /xinlian/<name>/1.0.0', () => {
    expect(Protocols).toEqual({
      CATALOG: '/xinlian/catalog/1.0.0',
      NEGOTIATION: '/xinlian/negotiation/1.0.0',
      TRANSFER: '/xinlian/transfer/1.0.0',
    });
    expect(() => protocolId('Bad/Name')).toThrow(RangeError);
  });
});

describe('signed envelopes', () => {
  it('carry a fresh random nonce and the validity window', () => {
    const a = newEnvelope({ kind: 'request', protocol: Protocols.CATALOG, from: 'x', now: 5_000, ttlMs: 1_000 });
    const b = newEnvelope({ kind: 'request', protocol: Protocols.CATALOG, from: 'x', now: 5_000, ttlMs: 1_000 });
    expect(a.nonce).toMatch(/^0x[0-9a-f]{64}$/);
    expect(a.nonce).not.toBe(b.nonce);
    expect(a).toMatchObject({ v: 1, issuedAt: 5_000, expiresAt: 6_000 });
  });

  it('verify against the signer address and survive an encode/decode round trip', async () => {
    const signed = await signedRequest();
    const decoded = decodeEnvelope(encodeEnvelope(signed));
    expect(decoded).toEqual(signed);
    expect(recoverEnvelopeSigner(decoded)).toBe(wallet.address);
    expect(() => verifyEnvelopeSignature(decoded, wallet.address.toLowerCase())).not.toThrow();
  });

  it('verify whatever the key order or whitespace on the wire', async () => {
    const signed = await signedRequest();
    const shuffled = Object.fromEntries(Object.entries(signed).reverse());
    const decoded = decodeEnvelope(new TextEncoder().encode(JSON.stringify(shuffled, null, 2)));
    expect(() => verifyEnvelopeSignature(decoded, wallet.address)).not.toThrow();
  });

  it('fail verification when any field changes or another key signed', async () => {
    const signed = await signedRequest();
    for (const change of [{ body: { q: 2 } }, { to: 'inst-c' }, { expiresAt: signed.expiresAt + 1 }, { nonce: `0x${'00'.repeat(32)}` }]) {
      expect(codeOf(() => verifyEnvelopeSignature({ ...signed, ...change }, wallet.address))).toBe(P2PErrorCode.BAD_SIGNATURE);
    }
    const other = new Wallet('0x' + '22'.repeat(32));
    expect(codeOf(() => verifyEnvelopeSignature(signed, other.address))).toBe(P2PErrorCode.BAD_SIGNATURE);
    expect(codeOf(() => recoverEnvelopeSigner({ ...signed, sig: `0x${'00'.repeat(65)}` }))).toBe(P2PErrorCode.BAD_SIGNATURE);
  });
});

describe('checkFreshness', () => {
  const at = (issuedAt: number, expiresAt: number) => ({ ...newEnvelope({ kind: 'request', protocol: 'p', from: 'x' }), issuedAt, expiresAt });

  it('accepts an envelope inside its window, tolerating skew on issuedAt', () => {
    expect(codeOf(() => checkFreshness(at(1_000, 31_000), 20_000, limits))).toBeUndefined();
    expect(codeOf(() => checkFreshness(at(40_000, 70_000), 20_000, limits))).toBeUndefined();
  });

  it('refuses expired, future and over-long envelopes', () => {
    expect(codeOf(() => checkFreshness(at(1_000, 31_000), 31_000, limits))).toBe(P2PErrorCode.EXPIRED);
    expect(codeOf(() => checkFreshness(at(60_000, 70_000), 20_000, limits))).toBe(P2PErrorCode.EXPIRED);
    expect(codeOf(() => checkFreshness(at(1_000, 1_000 + 120_001), 2_000, limits))).toBe(P2PErrorCode.EXPIRED);
    expect(codeOf(() => checkFreshness(at(1_000, 1_000), 500, limits))).toBe(P2PErrorCode.EXPIRED);
  });
});

describe('decodeEnvelope', () => {
  it('refuses bytes that are not a well-formed envelope with CONN_BAD_MESSAGE', async () => {
    const good = JSON.parse(JSON.stringify(await signedRequest())) as Record<string, unknown>;
    const bad: Uint8Array[] = [
      Uint8Array.from([0xc3, 0x28]),
      new TextEncoder().encode('{"v":1'),
      reencode(null),
      reencode([good]),
      reencode({ ...good, extra: 1 }),
      reencode({ ...good, v: 2 }),
      reencode({ ...good, kind: 'push' }),
      reencode({ ...good, from: '' }),
      reencode({ ...good, from: 'x'.repeat(129) }),
      reencode({ ...good, nonce: '0x1234' }),
      reencode({ ...good, issuedAt: -1 }),
      reencode({ ...good, expiresAt: 1.5 }),
      reencode({ ...good, sig: 'nope' }),
      reencode({ ...good, status: 'OK' }),
      reencode({ ...good, kind: 'response' }),
      reencode({ ...good, kind: 'response', status: 'DENIED', body: undefined }),
      reencode({ ...good, kind: 'response', status: 'DENIED', error: { code: 'x', message: 'm' }, body: undefined }),
      reencode({ ...good, kind: 'response', status: 'OK', error: { code: 'X', message: 'm' } }),
      reencode({ ...good, kind: 'response', status: 'ERROR', error: { code: 'X', message: 'm' } }),
    ];
    for (const bytes of bad) expect(codeOf(() => decodeEnvelope(bytes))).toBe(P2PErrorCode.BAD_MESSAGE);
  });

  it('accepts a failed response with an error and a rule', async () => {
    const response = await signEnvelope(
      newEnvelope({
        kind: 'response',
        protocol: Protocols.NEGOTIATION,
        from: 'inst-b',
        status: 'DENIED',
        error: { code: 'POLICY_DENIED', message: 'no', rule: 'r-1' },
      }),
      wallet,
    );
    expect(decodeEnvelope(encodeEnvelope(response))).toEqual(response);
  });
});
