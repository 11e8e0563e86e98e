import { describe, expect, it, beforeEach } from 'vitest';
import { Consortium, STRANGER, identityOf, newConsortium, walletOf } from '../support/consortium.js';

describe('institutions', () => {
  let c: Consortium;
  beforeEach(async () => {
    c = await newConsortium();
  });

  const admission = (id: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ id, name: `${id} Ltd`, roles: ['microlender'], signerAddress: walletOf(id).address, ...identityOf(id), ...extra });

  it('initialises the first regulator bound to the caller, once only', async () => {
    const me = await c.evaluate(c.m.regulator, 'institutions:Whoami');
    expect(me).toMatchObject({ id: 'regulator', roles: ['regulator'], status: 'active', mspId: 'regulatorMSP' });
    await c.expectThrows(STRANGER, 'CC_ALREADY_INITIALIZED', 'institutions:Initialize', JSON.stringify({ id: 'x', name: 'x', roles: ['regulator'], signerAddress: walletOf('x').address }));
    expect(c.ledger.events[0]).toMatchObject({ name: 'institution_admitted', payload: { type: 'institution_admitted', institution: 'regulator' } });
  });

  it('refuses an initial institution without the regulator role', async () => {
    const fresh = new Consortium();
    const body = JSON.stringify({ id: 'r', name: 'r', roles: ['operator'], signerAddress: walletOf('r').address });
    await expect(fresh.ledger.submit(identityOf('r'), 'institutions:Initialize', [body])).rejects.toThrow(/^\[CC_BAD_REQUEST\]/);
  });

  it('admits an institution with an EIP-55 signer and records the admission', async () => {
    const lower = walletOf('newbie').address.toLowerCase();
    const inst = await c.submit(c.m.regulator, 'institutions:Admit', admission('newbie', { signerAddress: lower, peerId: '12D3KooWnewbie', addresses: ['/ip4/127.0.0.1/tcp/1'] }));
    expect(inst).toMatchObject({ id: 'newbie', status: 'active', signerAddress: walletOf('newbie').address, peerId: '12D3KooWnewbie' });
    expect(c.ledger.events.at(-1)).toMatchObject({ name: 'institution_admitted', payload: { institution: 'regulator', id: 'newbie' } });
    expect(await c.evaluate(identityOf('newbie'), 'institutions:Whoami')).toMatchObject({ id: 'newbie' });
    expect(await c.evaluate(c.m.lenderA, 'institutions:ResolvePeer', '12D3KooWnewbie')).toMatchObject({ id: 'newbie' });
  });

  it('records a denial when a non-regulator admits', async () => {
    await c.expectDenied(c.m.operator, 'CC_FORBIDDEN', 'institutions:Admit', admission('newbie'));
  });

  it('refuses duplicate ids, bound identities and peer ids', async () => {
    await c.expectDenied(c.m.regulator, 'CC_CONFLICT', 'institutions:Admit', admission('lenderA'));
    await c.expectDenied(c.m.regulator, 'CC_CONFLICT', 'institutions:Admit', admission('newbie', { ...identityOf('lenderB') }));
    await c.submit(c.m.lenderA, 'institutions:UpdateEndpoint', 'peerA', '[]');
    await c.expectDenied(c.m.regulator, 'CC_CONFLICT', 'institutions:Admit', admission('newbie', { peerId: 'peerA' }));
    await c.expectDenied(c.m.lenderB, 'CC_CONFLICT', 'institutions:UpdateEndpoint', 'peerA', '[]');
  });

  it('throws on malformed admissions without recording anything', async () => {
    await c.expectThrows(c.m.regulator, 'CC_BAD_REQUEST', 'institutions:Admit', '{not json');
    await c.expectThrows(c.m.regulator, 'CC_BAD_REQUEST', 'institutions:Admit', admission('bad~id'));
    await c.expectThrows(c.m.regulator, 'CC_BAD_REQUEST', 'institutions:Admit', admission('x', { roles: ['king'] }));
    await c.expectThrows(c.m.regulator, 'CC_BAD_REQUEST', 'institutions:Admit', admission('x', { signerAddress: '0x1234' }));
    await c.expectThrows(c.m.regulator, 'CC_BAD_REQUEST', 'institutions:Admit', admission('x', { extra: 1 }));
    await c.expectThrows(c.m.regulator, 'CC_BAD_REQUEST', 'institutions:Admit', admission('x', { mspId: 'm', clientId: undefined }));
  });

  it('throws for an unknown caller and records nothing', async () => {
    await c.expectThrows(STRANGER, 'CC_UNKNOWN_CALLER', 'institutions:Admit', admission('newbie'));
    await expect(c.ledger.evaluate(STRANGER, 'institutions:List', [])).rejects.toThrow(/^\[CC_UNKNOWN_CALLER\]/);
  });

  it('suspends and reinstates; a suspended member is refused and its refusals recorded', async () => {
    const s = await c.submit(c.m.regulator, 'institutions:Suspend', 'lenderA', 'late reports');
    expect(s).toMatchObject({ status: 'suspended', statusReason: 'late reports' });
    expect(c.ledger.events.at(-1)).toMatchObject({ name: 'institution_suspended', payload: { id: 'lenderA', reason: 'late reports' } });
    await c.expectDenied(c.m.lenderA, 'CC_INSTITUTION_SUSPENDED', 'institutions:UpdateEndpoint', 'peerA', '[]');
    await expect(c.ledger.evaluate(c.m.lenderA.identity, 'institutions:List', [])).rejects.toThrow(/^\[CC_INSTITUTION_SUSPENDED\]/);
    expect(await c.evaluate(c.m.lenderA, 'institutions:Whoami')).toMatchObject({ status: 'suspended' });
    await c.expectDenied(c.m.regulator, 'CC_INVALID_STATE', 'institutions:Suspend', 'lenderA', 'again');
    const r = await c.submit(c.m.regulator, 'institutions:Reinstate', 'lenderA', 'fixed');
    expect(r).toMatchObject({ status: 'active' });
    expect(c.ledger.events.at(-1)).toMatchObject({ name: 'institution_reinstated' });
    await c.expectDenied(c.m.regulator, 'CC_INVALID_STATE', 'institutions:Reinstate', 'lenderA', 'again');
  });

  it('refuses suspension by a non-regulator, of oneself and of unknown ids', async () => {
    await c.expectDenied(c.m.operator, 'CC_FORBIDDEN', 'institutions:Suspend', 'lenderA', 'x');
    await c.expectDenied(c.m.regulator, 'CC_FORBIDDEN', 'institutions:Suspend', 'regulator', 'x');
    await c.expectDenied(c.m.regulator, 'CC_NOT_FOUND', 'institutions:Suspend', 'nobody', 'x');
    await c.expectThrows(c.m.regulator, 'CC_BAD_REQUEST', 'institutions:Suspend', 'lenderA', '');
  });

  it('rebinds an identity: the old one becomes unknown, the new one resolves', async () => {
    const next = identityOf('lenderA-2');
    const inst = await c.submit(c.m.regulator, 'institutions:BindIdentity', 'lenderA', next.mspId, next.clientId);
    expect(inst).toMatchObject({ mspId: next.mspId, clientId: next.clientId });
    expect(await c.evaluate(next, 'institutions:Whoami')).toMatchObject({ id: 'lenderA' });
    await expect(c.ledger.evaluate(c.m.lenderA.identity, 'institutions:Whoami', [])).rejects.toThrow(/^\[CC_UNKNOWN_CALLER\]/);
    await c.expectDenied(c.m.regulator, 'CC_CONFLICT', 'institutions:BindIdentity', 'lenderB', next.mspId, next.clientId);
    await c.expectDenied(c.m.lenderB, 'CC_FORBIDDEN', 'institutions:BindIdentity', 'lenderB', 'm', 'c');
  });

  it('updates its own endpoint and releases the old peer id', async () => {
    await c.submit(c.m.lenderA, 'institutions:UpdateEndpoint', 'peer1', JSON.stringify(['/ip4/127.0.0.1/tcp/9']));
    const inst = await c.submit(c.m.lenderA, 'institutions:UpdateEndpoint', 'peer2', '[]');
    expect(inst).toMatchObject({ peerId: 'peer2', addresses: [] });
    await expect(c.ledger.evaluate(c.m.lenderB.identity, 'institutions:ResolvePeer', ['peer1'])).rejects.toThrow(/^\[CC_NOT_FOUND\]/);
    await c.expectThrows(c.m.lenderA, 'CC_BAD_REQUEST', 'institutions:UpdateEndpoint', 'peer3', '"x"');
  });

  it('lists and gets institutions', async () => {
    const list = await c.evaluate<{ id: string }[]>(c.m.bank, 'institutions:List');
    expect(list.map((i) => i.id)).toContain('exchange');
    expect(list).toHaveLength(11);
    expect(await c.evaluate(c.m.bank, 'institutions:Get', 'provider')).toMatchObject({ roles: ['provider'] });
    await expect(c.ledger.evaluate(c.m.bank.identity, 'institutions:Get', ['nobody'])).rejects.toThrow(/^\[CC_NOT_FOUND\]/);
  });
});
