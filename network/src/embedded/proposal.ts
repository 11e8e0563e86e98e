/**
 * Signed transaction proposals: what a client sends to be endorsed, and what every stored
 * transaction keeps so that its creator and signature can be re-verified later.
 */
import { createHash, randomBytes, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical.js';
import type { EmbeddedIdentity } from './identity.js';

/** A transaction timestamp as in Fabric's channel header. */
export interface TxTimestamp {
  readonly seconds: number;
  readonly nanos: number;
}

/** The signed content of a proposal (Fabric: channel header + signature header + chaincode input). */
export interface Proposal {
  readonly channel: string;
  readonly chaincode: string;
  readonly txId: string;
  /** hex */
  readonly nonce: string;
  readonly creator: { readonly mspId: string; readonly certificatePem: string };
  /** `<contract>:<function>` */
  readonly fn: string;
  readonly args: readonly string[];
  readonly timestamp: TxTimestamp;
}

export interface SignedProposal {
  readonly proposal: Proposal;
  /** DER ECDSA signature over the canonical JSON of `proposal`, base64. */
  readonly signature: string;
}

/** Fabric's transaction id: sha256(nonce ‖ creator) in hex. */
export function computeTxId(nonceHex: string, mspId: string, certificatePem: string): string {
  return createHash('sha256').update(Buffer.from(nonceHex, 'hex')).update(mspId).update(certificatePem).digest('hex');
}

/** A timestamp from a Date (milliseconds precision, as a JS client would set it). */
export function timestampOf(date: Date): TxTimestamp {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** Builds and signs a proposal as the given identity. */
export function newSignedProposal(
  identity: EmbeddedIdentity,
  target: { readonly channel: string; readonly chaincode: string },
  fn: string,
  args: readonly string[],
  now: Date,
): SignedProposal {
  const nonce = randomBytes(24).toString('hex');
  const proposal: Proposal = {
    channel: target.channel,
    chaincode: target.chaincode,
    txId: computeTxId(nonce, identity.mspId, identity.certificatePem),
    nonce,
    creator: { mspId: identity.mspId, certificatePem: identity.certificatePem },
    fn,
    args: [...args],
    timestamp: timestampOf(now),
  };
  return { proposal, signature: signBytes(identity.privateKey, proposal) };
}

function signBytes(key: KeyObject, proposal: Proposal): string {
  return sign('sha256', Buffer.from(canonicalJson(proposalJson(proposal))), key).toString('base64');
}

/** Caches creator certificates' public keys (parsing X.509 costs more than verifying). */
export class SignatureVerifier {
  readonly #keys = new Map<string, KeyObject>();

  /**
   * Checks the transaction id derivation and the creator's signature.
   * Returns a reason when the proposal is not authentic, undefined when it is.
   */
  check(signed: SignedProposal): string | undefined {
    const { proposal } = signed;
    try {
      if (computeTxId(proposal.nonce, proposal.creator.mspId, proposal.creator.certificatePem) !== proposal.txId) {
        return `transaction id ${proposal.txId} does not match its nonce and creator`;
      }
      const key = this.#publicKey(proposal.creator.certificatePem);
      const ok = verify(
        'sha256',
        Buffer.from(canonicalJson(proposalJson(proposal))),
        key,
        Buffer.from(signed.signature, 'base64'),
      );
      return ok ? undefined : `signature of transaction ${proposal.txId} does not verify`;
    } catch (e) {
      return `transaction ${String(proposal.txId)} cannot be verified: ${(e as Error).message}`;
    }
  }

  #publicKey(pem: string): KeyObject {
    let key = this.#keys.get(pem);
    if (!key) {
      key = new X509Certificate(pem).publicKey;
      if (this.#keys.size > 10_000) this.#keys.clear();
      this.#keys.set(pem, key);
    }
    return key;
  }
}

/** The proposal as a JSON value (for hashing and storing). */
export function proposalJson(p: Proposal): {
  channel: string;
  chaincode: string;
  txId: string;
  nonce: string;
  creator: { mspId: string; certificatePem: string };
  fn: string;
  args: string[];
  timestamp: { seconds: number; nanos: number };
} {
  return {
    channel: p.channel,
    chaincode: p.chaincode,
    txId: p.txId,
    nonce: p.nonce,
    creator: { mspId: p.creator.mspId, certificatePem: p.creator.certificatePem },
    fn: p.fn,
    args: [...p.args],
    timestamp: { seconds: p.timestamp.seconds, nanos: p.timestamp.nanos },
  };
}
