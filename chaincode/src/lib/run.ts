import type { Context } from 'fabric-contract-api';
import { canonicalJson } from '../canonical-json.js';
import { ErrorCode, ccError, errorCodeOf, isDeniable } from '../errors.js';
import type { Denial, DeniedResult, Institution } from '../records.js';
import { requireActive, resolveCaller } from './caller.js';
import { Tx } from './tx.js';

/** The body of a transaction: checks first, then buffered writes; returns the result value. */
export type Body = (tx: Tx, caller: Institution) => Promise<unknown>;

/**
 * Runs a write under the denial convention. The caller is resolved first (unknown → throws
 * `CC_UNKNOWN_CALLER`); a coded refusal of a known member (role, status, consent, signature,
 * conflict, …) discards the body's writes and records a denial record, its audit record and
 * the `denied` event instead, returning `{"denied":{code,message,action}}`. Malformed
 * arguments (`CC_BAD_REQUEST`) and unexpected failures (`CC_INTERNAL`) throw.
 */
export async function guardedWrite(ctx: Context, action: string, body: Body): Promise<string> {
  const tx = new Tx(ctx);
  const caller = await resolveCaller(tx);
  try {
    requireActive(caller);
    const result = await body(tx, caller);
    await tx.commit();
    return canonicalJson(result);
  } catch (e) {
    const code = errorCodeOf(e);
    if (code === undefined) throw internal(e);
    if (!isDeniable(code)) throw e;
    tx.discard();
    const message = (e as Error).message;
    const denial: Denial = { txId: tx.txId, institution: caller.id, action, code, message, at: tx.nowIso };
    tx.put(tx.recordKey('denial', tx.txId), denial);
    tx.audit('denied', caller.id, { action, code, message });
    await tx.commit();
    const result: DeniedResult = { denied: { code, message, action } };
    return canonicalJson(result);
  }
}

/** Options of {@link guardedRead}. */
export interface ReadOptions {
  /** Let a suspended institution call (e.g. `Whoami`). */
  readonly allowSuspended?: boolean;
}

/**
 * Runs a read for a known member. Refusals throw (evaluations record nothing).
 * @throws CC_UNKNOWN_CALLER, CC_INSTITUTION_SUSPENDED, and whatever the body throws.
 */
export async function guardedRead(ctx: Context, body: Body, options: ReadOptions = {}): Promise<string> {
  const tx = new Tx(ctx);
  const caller = await resolveCaller(tx);
  if (!options.allowSuspended) requireActive(caller);
  try {
    return canonicalJson(await body(tx, caller));
  } catch (e) {
    if (errorCodeOf(e) === undefined) throw internal(e);
    throw e;
  }
}

function internal(e: unknown): Error {
  const detail = e instanceof Error ? e.message : String(e);
  return ccError(ErrorCode.INTERNAL, detail);
}
