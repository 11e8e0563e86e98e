import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLedgerError } from '../../src/errors.js';
import type { EmbeddedIdentity } from '../../src/embedded/identity.js';
import type { EmbeddedLedger } from '../../src/embedded/ledger.js';
import { newSignedProposal, SignatureVerifier } from '../../src/embedded/proposal.js';
import { StateCache } from '../../src/embedded/state-cache.js';
import { openKvLedger, tempDir, twoOrgs } from '../support/embedded.js';

const v = (s: string) => ({ value: Buffer.from(s), version: { block: 1, tx: 0 } });

describe('state cache: consistency rules', () => {
  it('serves an entry only to readers at or after the height it is known from', () => {
    const cache = new StateCache(5);
    const at5 = cache.position();
    cache.fill(at5, 'k', v('a'));
    expect(cache.lookup(at5, 'k')?.value.toString()).toBe('a');
    expect(cache.lookup({ height: 4, duringCommit: false }, 'k')).toBeUndefined();
  });

  it('refuses keys of the block being written, and replaces them once it is durable', () => {
    const cache = new StateCache(5);
    const before = cache.position();
    cache.fill(before, 'k', v('a'));
    cache.fill(before, 'other', v('o'));
    const update = [{ key: 'k', value: Buffer.from('b'), version: { block: 5, tx: 0 } }];
    cache.beginCommit(update);
    const during = cache.position();
    expect(during.duringCommit).toBe(true);
    expect(cache.lookup(during, 'k')).toBeUndefined();
    expect(cache.lookup(during, 'other')?.value.toString()).toBe('o'); // same at height 5 and 6
    cache.fill(during, 'new', v('n')); // not known to be current: ignored
    cache.endCommit(6, update);
    expect(cache.lookup(before, 'k')).toBeUndefined(); // the old reader must use its snapshot
    expect(cache.lookup(cache.position(), 'k')?.value.toString()).toBe('b');
    expect(cache.lookup(cache.position(), 'new')).toBeUndefined();
  });

  it('ignores fills from readers left behind by a commit, and forgets everything when a write fails', () => {
    const cache = new StateCache(1);
    const old = cache.position();
    cache.beginCommit([]);
    cache.endCommit(2, []);
    cache.fill(old, 'k', v('stale'));
    expect(cache.lookup(cache.position(), 'k')).toBeUndefined();
    cache.fill(cache.position(), 'k', null);
    expect(cache.lookup(cache.position(), 'k')).toBeNull();
    cache.beginCommit([]);
    cache.abortCommit();
    expect(cache.lookup(cache.position(), 'k')).toBeUndefined();
  });
});

describe('embedded ledger with the state cache and shared proposal bytes', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let ledger: EmbeddedLedger;
  let alice: EmbeddedIdentity;

  beforeAll(async () => {
    dir = await tempDir();
    ({ alice } = await twoOrgs());
    ledger = await openKvLedger(dir.path);
  });
  afterAll(async () => {
    await ledger.close();
    await dir.remove();
  });

  it('reads a hot key fresh after a commit overwrites it', async () => {
    const client = ledger.connect(alice);
    await client.submit('kv:Put', ['hot', 'one']);
    for (let i = 0; i < 3; i++) expect(await client.evaluate('kv:Get', ['hot'])).toBe('one');
    await client.submit('kv:Put', ['hot', 'two']);
    expect(await client.evaluate('kv:Get', ['hot'])).toBe('two');
    await client.submit('kv:Del', ['hot']);
    expect(await client.evaluate('kv:Get', ['hot'])).toBe('');
  });

  it('still invalidates a transaction whose cached read was overwritten before it committed', async () => {
    const client = ledger.connect(alice);
    await client.submit('kv:Put', ['n', '1']);
    await client.evaluate('kv:Get', ['n']); // cached
    const target = { channel: 'xinlian', chaincode: 'xinlian' };
    const stale = await ledger.endorse(newSignedProposal(alice, target, 'kv:Incr', ['n'], new Date()), 'submit');
    await client.submit('kv:Incr', ['n']);
    expect(await ledger.order(stale)).toMatchObject({ code: 'MVCC_READ_CONFLICT' });
    expect(await client.evaluate('kv:Get', ['n'])).toBe('2');
  });

  it('freezes signed proposals and refuses a copy with other arguments under the same signature', async () => {
    const signed = newSignedProposal(alice, { channel: 'xinlian', chaincode: 'xinlian' }, 'kv:Put', ['a', 'b'], new Date());
    expect(Object.isFrozen(signed.proposal) && Object.isFrozen(signed.proposal.args)).toBe(true);
    const forged = { proposal: { ...signed.proposal, args: ['a', 'evil'] }, signature: signed.signature };
    const verifier = new SignatureVerifier();
    expect(verifier.check(signed)).toBeUndefined();
    expect(await verifier.checkAsync(forged)).toMatch(/does not verify/);
    const refused = await ledger.endorse(forged, 'submit').catch((e: unknown) => e);
    expect(isLedgerError(refused, 'LEDGER_ENDORSEMENT_FAILED')).toBe(true);
  });
});
