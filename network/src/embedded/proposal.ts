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

/**
 * The bytes each proposal built here was signed over. Such proposals are deeply frozen, so
 * the bytes stay exactly `canonicalJson(proposalJson(proposal))`: the endorser verifies the
 * signature over them without serialising the proposal a second time.
 */
const signedBytes = new WeakMap<Proposal, Buffer>();

type Target = { readonly channel: string; readonly chaincode: string };

function newProposal(identity: EmbeddedIdentity, target: Target, fn: string, args: readonly string[], now: Date): { proposal: Proposal; bytes: Buffer } {
  const nonce = randomBytes(24).toString('hex');
  const proposal: Proposal = Object.freeze({
    channel: target.channel,
    chaincode: target.chaincode,
    txId: computeTxId(nonce, identity.mspId, identity.certificatePem),
    nonce,
    creator: Object.freeze({ mspId: identity.mspId, certificatePem: identity.certificatePem }),
    fn,
    args: Object.freeze([...args]),
    timestamp: Object.freeze(timestampOf(now)),
  });
  const bytes = Buffer.from(canonicalJson(proposalJson(proposal)));
  signedBytes.set(proposal, bytes);
  return { proposal, bytes };
}

/** The bytes a proposal's signature covers. */
function bytesOf(proposal: Proposal): Buffer {
  return signedBytes.get(proposal) ?? Buffer.from(canonicalJson(proposalJson(proposal)));
}

/** Builds and signs a proposal as the given identity (the proposal is frozen). */
export function newSignedProposal(identity: EmbeddedIdentity, target: Target, fn: string, args: readonly string[], now: Date): SignedProposal {
  const { proposal, bytes } = newProposal(identity, target, fn, args, now);
  return { proposal, signature: sign('sha256', bytes, identity.privateKey).toString('base64') };
}

/**
 * As {@link newSignedProposal}, signing on libuv's thread pool so that the event loop is
 * free meanwhile. @throws (rejects) the signing error of node:crypto.
 */
export async function signProposal(identity: EmbeddedIdentity, target: Target, fn: string, args: readonly string[], now: Date): Promise<SignedProposal> {
  const { proposal, bytes } = newProposal(identity, target, fn, args, now);
  const signature = await new Promise<Buffer>((resolve, reject) => {
    sign('sha256', bytes, identity.privateKey, (error, sig) => (error ? reject(error) : resolve(sig)));
  });
  return { proposal, signature: signature.toString('base64') };
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
      const bad = this.#checkTxId(proposal);
      if (bad) return bad;
      const ok = verify('sha256', bytesOf(proposal), this.#publicKey(proposal.creator.certificatePem), Buffer.from(signed.signature, 'base64'));
      return ok ? undefined : `signature of transaction ${proposal.txId} does not verify`;
    } catch (e) {
      return cannotVerify(proposal, e);
    }
  }

  /**
   * As {@link check}, verifying the signature on libuv's thread pool (the event loop is free
   * meanwhile). Never rejects: a reason or undefined, as `check`.
   */
  async checkAsync(signed: SignedProposal): Promise<string | undefined> {
    const { proposal } = signed;
    try {
      const bad = this.#checkTxId(proposal);
      if (bad) return bad;
      const key = this.#publicKey(proposal.creator.certificatePem);
      const data = bytesOf(proposal);
      const signature = Buffer.from(signed.signature, 'base64');
      const ok = await new Promise<boolean>((resolve, reject) => {
        verify('sha256', data, key, signature, (error, result) => (error ? reject(error) : resolve(result)));
      });
      return ok ? undefined : `signature of transaction ${proposal.txId} does not verify`;
    } catch (e) {
      return cannotVerify(proposal, e);
    }
  }

  #checkTxId(proposal: Proposal): string | undefined {
    if (computeTxId(proposal.nonce, proposal.creator.mspId, proposal.creator.certificatePem) !== proposal.txId) {
      return `transaction id ${proposal.txId} does not match its nonce and creator`;
    }
    return undefined;
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

function cannotVerify(proposal: Proposal, e: unknown): string {
  return `transaction ${String(proposal.txId)} cannot be verified: ${(e as Error).message}`;
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
