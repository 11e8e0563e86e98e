import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { ErrorCode, ccError } from '../errors.js';
import { requireRole } from '../lib/caller.js';
import { guardedRead, guardedWrite } from '../lib/run.js';
import type { Subject } from '../records.js';
import * as v from '../validate.js';

/** Subjects: enterprises known only by their blinded token, with their signer addresses. */
@Info({ title: 'subjects', description: 'data subjects by blinded token' })
export class SubjectsContract extends Contract {
  constructor() {
    super('subjects');
  }

  /** Operator registers a subject token with its signer addresses. */
  @Transaction()
  @Returns('string')
  async Register(ctx: Context, subjectToken: string, signers: string): Promise<string> {
    return guardedWrite(ctx, 'subjects:Register', async (tx, caller) => {
      const token = v.subjectToken('subjectToken', subjectToken);
      const list = v.addressList('signers', v.parseJson('signers', signers));
      requireRole(caller, ['operator'], 'subjects:Register');
      if (await tx.record('subject', token)) throw ccError(ErrorCode.CONFLICT, `subject ${token} is already registered`);
      const subject: Subject = {
        subjectToken: token,
        signers: list,
        registeredBy: caller.id,
        registeredAt: tx.nowIso,
        updatedAt: tx.nowIso,
      };
      tx.put(tx.recordKey('subject', token), subject);
      tx.audit('subject_registered', caller.id, { subjectToken: token, signers: list.length });
      return subject;
    });
  }

  /** Operator replaces a subject's signer addresses. */
  @Transaction()
  @Returns('string')
  async RotateSigners(ctx: Context, subjectToken: string, signers: string): Promise<string> {
    return guardedWrite(ctx, 'subjects:RotateSigners', async (tx, caller) => {
      const token = v.subjectToken('subjectToken', subjectToken);
      const list = v.addressList('signers', v.parseJson('signers', signers));
      requireRole(caller, ['operator'], 'subjects:RotateSigners');
      const subject = await tx.mustRecord<Subject>('subject', token);
      const updated: Subject = { ...subject, signers: list, updatedAt: tx.nowIso };
      tx.put(tx.recordKey('subject', token), updated);
      tx.audit('subject_signers_rotated', caller.id, { subjectToken: token, signers: list.length });
      return updated;
    });
  }

  /** One subject. @throws CC_NOT_FOUND */
  @Transaction(false)
  @Returns('string')
  async Get(ctx: Context, subjectToken: string): Promise<string> {
    return guardedRead(ctx, async (tx) => tx.mustRecord<Subject>('subject', v.subjectToken('subjectToken', subjectToken)));
  }
}
