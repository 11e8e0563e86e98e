import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { canonicalJson } from '../canonical-json.js';
import { ErrorCode, ccError } from '../errors.js';
import { requireRole } from '../lib/caller.js';
import { INDEX } from '../lib/keys.js';
import { guardedRead, guardedWrite } from '../lib/run.js';
import { Tx } from '../lib/tx.js';
import type { Institution } from '../records.js';
import * as v from '../validate.js';
import { bindIdentity, claimPeer, createInstitution, parseInstitution, peerKey } from './institution-input.js';

/** Institutions: admission, status, ledger identity and libp2p endpoint. */
@Info({ title: 'institutions', description: 'consortium members' })
export class InstitutionsContract extends Contract {
  constructor() {
    super('institutions');
  }

  /** Sets the first regulator and binds the caller's identity to it; once only. @throws CC_ALREADY_INITIALIZED, CC_BAD_REQUEST */
  @Transaction()
  @Returns('string')
  async Initialize(ctx: Context, institution: string): Promise<string> {
    const tx = new Tx(ctx);
    const configKey = tx.key(INDEX.config, ['initialized']);
    if (await tx.get(configKey)) throw ccError(ErrorCode.ALREADY_INITIALIZED, 'the chaincode is already initialised');
    const input = parseInstitution(institution);
    if (!input.roles.includes('regulator')) throw ccError(ErrorCode.BAD_REQUEST, 'the first institution must have role regulator');
    const created = await createInstitution(tx, {
      ...input,
      mspId: ctx.clientIdentity.getMSPID(),
      clientId: ctx.clientIdentity.getID(),
    });
    tx.put(configKey, { regulator: created.id, at: tx.nowIso });
    tx.audit('institution_admitted', created.id, { id: created.id, roles: created.roles });
    await tx.commit();
    return canonicalJson(created);
  }

  /** Regulator admits an institution (status active). */
  @Transaction()
  @Returns('string')
  async Admit(ctx: Context, institution: string): Promise<string> {
    return guardedWrite(ctx, 'institutions:Admit', async (tx, caller) => {
      const input = parseInstitution(institution);
      requireRole(caller, ['regulator'], 'institutions:Admit');
      const created = await createInstitution(tx, input);
      tx.audit('institution_admitted', caller.id, { id: created.id, roles: created.roles }, { parties: [created.id] });
      return created;
    });
  }

  /** Regulator suspends an active institution. */
  @Transaction()
  @Returns('string')
  async Suspend(ctx: Context, id: string, reason: string): Promise<string> {
    return guardedWrite(ctx, 'institutions:Suspend', async (tx, caller) => {
      const [target, why] = [v.id('id', id), v.text('reason', reason, 1024)];
      requireRole(caller, ['regulator'], 'institutions:Suspend');
      if (target === caller.id) throw ccError(ErrorCode.FORBIDDEN, 'a regulator cannot suspend itself');
      const inst = await tx.mustRecord<Institution>('institution', target);
      if (inst.status === 'suspended') throw ccError(ErrorCode.INVALID_STATE, `institution ${target} is already suspended`);
      return setStatus(tx, caller, inst, 'suspended', why);
    });
  }

  /** Regulator reinstates a suspended institution. */
  @Transaction()
  @Returns('string')
  async Reinstate(ctx: Context, id: string, reason: string): Promise<string> {
    return guardedWrite(ctx, 'institutions:Reinstate', async (tx, caller) => {
      const [target, why] = [v.id('id', id), v.text('reason', reason, 1024)];
      requireRole(caller, ['regulator'], 'institutions:Reinstate');
      const inst = await tx.mustRecord<Institution>('institution', target);
      if (inst.status === 'active') throw ccError(ErrorCode.INVALID_STATE, `institution ${target} is already active`);
      return setStatus(tx, caller, inst, 'active', why);
    });
  }

  /** Regulator binds a ledger identity to an institution (replacing the previous binding). */
  @Transaction()
  @Returns('string')
  async BindIdentity(ctx: Context, id: string, mspId: string, clientId: string): Promise<string> {
    return guardedWrite(ctx, 'institutions:BindIdentity', async (tx, caller) => {
      const [target, msp, client] = [v.id('id', id), v.text('mspId', mspId, 128), v.text('clientId', clientId, 1024)];
      requireRole(caller, ['regulator'], 'institutions:BindIdentity');
      const inst = await tx.mustRecord<Institution>('institution', target);
      await bindIdentity(tx, inst, msp, client);
      inst.updatedAt = tx.nowIso;
      tx.put(tx.recordKey('institution', inst.id), inst);
      tx.audit('institution_updated', caller.id, { id: inst.id, change: 'identity', mspId: msp }, { parties: [inst.id] });
      return inst;
    });
  }

  /** The calling institution sets its libp2p peer id and addresses. */
  @Transaction()
  @Returns('string')
  async UpdateEndpoint(ctx: Context, peerId: string, addresses: string): Promise<string> {
    return guardedWrite(ctx, 'institutions:UpdateEndpoint', async (tx, caller) => {
      const peer = v.id('peerId', peerId);
      const addrs = v.textList('addresses', v.parseJson('addresses', addresses));
      const inst: Institution = { ...caller };
      await claimPeer(tx, inst, peer);
      inst.addresses = addrs;
      inst.updatedAt = tx.nowIso;
      tx.put(tx.recordKey('institution', inst.id), inst);
      tx.audit('institution_updated', caller.id, { id: inst.id, change: 'endpoint', peerId: peer });
      return inst;
    });
  }

  /** One institution. @throws CC_NOT_FOUND */
  @Transaction(false)
  @Returns('string')
  async Get(ctx: Context, id: string): Promise<string> {
    return guardedRead(ctx, async (tx) => tx.mustRecord<Institution>('institution', v.id('id', id)));
  }

  /** All institutions, ordered by id. */
  @Transaction(false)
  @Returns('string')
  async List(ctx: Context): Promise<string> {
    return guardedRead(ctx, async (tx) => (await tx.byPartialKey<Institution>('institution')).map((e) => e.value));
  }

  /** The caller's own institution (allowed while suspended). */
  @Transaction(false)
  @Returns('string')
  async Whoami(ctx: Context): Promise<string> {
    return guardedRead(ctx, async (_tx, caller) => caller, { allowSuspended: true });
  }

  /** The institution owning a libp2p peer id. @throws CC_NOT_FOUND */
  @Transaction(false)
  @Returns('string')
  async ResolvePeer(ctx: Context, peerId: string): Promise<string> {
    return guardedRead(ctx, async (tx) => {
      const peer = v.id('peerId', peerId);
      const ref = await tx.get<{ institution: string }>(peerKey(tx, peer));
      if (!ref) throw ccError(ErrorCode.NOT_FOUND, `no institution has peer id ${peer}`);
      return tx.mustRecord<Institution>('institution', ref.institution);
    });
  }
}

function setStatus(tx: Tx, caller: Institution, inst: Institution, status: 'active' | 'suspended', reason: string): Institution {
  const updated: Institution = { ...inst, status, statusReason: reason, updatedAt: tx.nowIso };
  tx.put(tx.recordKey('institution', inst.id), updated);
  const type = status === 'suspended' ? 'institution_suspended' : 'institution_reinstated';
  tx.audit(type, caller.id, { id: inst.id, reason }, { parties: [inst.id] });
  return updated;
}
