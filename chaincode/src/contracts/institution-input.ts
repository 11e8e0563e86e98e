import { ROLES, type Role } from '../constants.js';
import { ErrorCode, ccError } from '../errors.js';
import { identityKey } from '../lib/caller.js';
import { INDEX } from '../lib/keys.js';
import type { Tx } from '../lib/tx.js';
import type { Institution } from '../records.js';
import * as v from '../validate.js';

/** Validated input of `Initialize` / `Admit`. */
export interface InstitutionInput {
  id: string;
  name: string;
  roles: Role[];
  signerAddress: string;
  mspId?: string;
  clientId?: string;
  peerId?: string;
  addresses: string[];
}

/** Parses an institution JSON argument. @throws CC_BAD_REQUEST */
export function parseInstitution(text: string): InstitutionInput {
  const o = v.parseObject('institution', text);
  v.onlyKeys('institution', o, ['id', 'name', 'roles', 'signerAddress', 'mspId', 'clientId', 'peerId', 'addresses']);
  if (!Array.isArray(o.roles) || o.roles.length === 0) throw ccError(ErrorCode.BAD_REQUEST, 'roles must be a non-empty array');
  const roles = [...new Set(o.roles.map((r, i) => v.oneOf(`roles[${i}]`, r, ROLES)))];
  const mspId = v.optionalText('mspId', o.mspId, 128);
  const clientId = v.optionalText('clientId', o.clientId, 1024);
  if ((mspId === undefined) !== (clientId === undefined)) {
    throw ccError(ErrorCode.BAD_REQUEST, 'mspId and clientId go together');
  }
  return {
    id: v.id('id', o.id),
    name: v.text('name', o.name),
    roles,
    signerAddress: v.address('signerAddress', o.signerAddress),
    ...(mspId !== undefined && clientId !== undefined ? { mspId, clientId } : {}),
    ...(o.peerId !== undefined ? { peerId: v.id('peerId', o.peerId) } : {}),
    addresses: o.addresses === undefined ? [] : v.textList('addresses', o.addresses),
  };
}

/** Composite key of the peer-id index. */
export function peerKey(tx: Tx, peerId: string): string {
  return tx.key(INDEX.peer, [peerId]);
}

/**
 * Refuses ids, identities and peer ids already in use; buffers the institution and its
 * indexes. @throws CC_CONFLICT
 */
export async function createInstitution(tx: Tx, input: InstitutionInput): Promise<Institution> {
  if (await tx.record('institution', input.id)) throw ccError(ErrorCode.CONFLICT, `institution ${input.id} exists`);
  const institution: Institution = { ...input, status: 'active', admittedAt: tx.nowIso, updatedAt: tx.nowIso };
  if (input.mspId !== undefined && input.clientId !== undefined) await bindIdentity(tx, institution, input.mspId, input.clientId);
  if (input.peerId !== undefined) await claimPeer(tx, institution, input.peerId);
  tx.put(tx.recordKey('institution', input.id), institution);
  return institution;
}

/** Binds a ledger identity to the institution (replacing its previous one). @throws CC_CONFLICT */
export async function bindIdentity(tx: Tx, institution: Institution, mspId: string, clientId: string): Promise<void> {
  const key = identityKey(tx, mspId, clientId);
  const existing = await tx.get<{ institution: string }>(key);
  if (existing && existing.institution !== institution.id) {
    throw ccError(ErrorCode.CONFLICT, `identity ${mspId}/${clientId} is bound to another institution`);
  }
  if (institution.mspId !== undefined && institution.clientId !== undefined) {
    const old = identityKey(tx, institution.mspId, institution.clientId);
    if (old !== key) tx.del(old);
  }
  tx.put(key, { institution: institution.id });
  institution.mspId = mspId;
  institution.clientId = clientId;
}

/** Claims a libp2p peer id for the institution (releasing its previous one). @throws CC_CONFLICT */
export async function claimPeer(tx: Tx, institution: Institution, peerId: string): Promise<void> {
  const key = peerKey(tx, peerId);
  const existing = await tx.get<{ institution: string }>(key);
  if (existing && existing.institution !== institution.id) {
    throw ccError(ErrorCode.CONFLICT, `peer id ${peerId} belongs to another institution`);
  }
  if (institution.peerId !== undefined && institution.peerId !== peerId) tx.del(peerKey(tx, institution.peerId));
  tx.put(key, { institution: institution.id });
  institution.peerId = peerId;
}
