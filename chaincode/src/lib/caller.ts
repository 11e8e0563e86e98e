import type { Role } from '../constants.js';
import { ErrorCode, ccError } from '../errors.js';
import type { Institution } from '../records.js';
import { INDEX } from './keys.js';
import type { Tx } from './tx.js';

/** The identity index value: which institution a ledger identity belongs to. */
export interface IdentityBinding {
  institution: string;
}

/** Composite key of a ledger identity. */
export function identityKey(tx: Tx, mspId: string, clientId: string): string {
  return tx.key(INDEX.identity, [mspId, clientId]);
}

/**
 * Resolves the calling ledger identity to its institution.
 * @throws CC_UNKNOWN_CALLER when the identity is bound to none.
 */
export async function resolveCaller(tx: Tx): Promise<Institution> {
  const mspId = tx.ctx.clientIdentity.getMSPID();
  const clientId = tx.ctx.clientIdentity.getID();
  const binding = await tx.get<IdentityBinding>(identityKey(tx, mspId, clientId));
  const institution = binding ? await tx.record<Institution>('institution', binding.institution) : undefined;
  if (!institution) throw ccError(ErrorCode.UNKNOWN_CALLER, `identity ${mspId}/${clientId} is not bound to an institution`);
  return institution;
}

/** @throws CC_INSTITUTION_SUSPENDED unless the institution is active. */
export function requireActive(institution: Institution): void {
  if (institution.status !== 'active') {
    throw ccError(ErrorCode.INSTITUTION_SUSPENDED, `institution ${institution.id} is ${institution.status}`);
  }
}

/** @throws CC_FORBIDDEN unless the institution has one of the roles. */
export function requireRole(institution: Institution, roles: readonly Role[], action: string): void {
  if (!institution.roles.some((r) => roles.includes(r))) {
    throw ccError(ErrorCode.FORBIDDEN, `${action} needs role ${roles.join(' or ')}; ${institution.id} has ${institution.roles.join(', ')}`);
  }
}

/** Reads another institution that must exist and be active. @throws CC_NOT_FOUND, CC_INSTITUTION_INACTIVE */
export async function activeInstitution(tx: Tx, id: string, what: string): Promise<Institution> {
  const inst = await tx.record<Institution>('institution', id);
  if (!inst) throw ccError(ErrorCode.NOT_FOUND, `${what} institution ${id} not found`);
  if (inst.status !== 'active') throw ccError(ErrorCode.INSTITUTION_INACTIVE, `${what} institution ${id} is ${inst.status}`);
  return inst;
}

/** True when the institution has the regulator role. */
export function isRegulator(institution: Institution): boolean {
  return institution.roles.includes('regulator');
}
