/**
 * state.json of the demo: which ledger a data directory belongs to (no network needed; runs
 * with the Fabric suite because it guards the switch between the two ledgers).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSameKind, assertSameLedger, readDemoState, writeDemoState } from '../../src/demo/demo-state.js';
import { parseLedgerKind } from '../../src/demo/ledgers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xinlian-demo-state-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fabric = { ledger: 'fabric', channel: 'xinlian', chaincode: 'xinlian', genesisHash: 'ab'.repeat(32) } as const;

describe('demo state', () => {
  it('reads a state file from before the ledger was recorded as the embedded ledger', async () => {
    const path = join(dir, 'legacy.json');
    await writeFile(path, JSON.stringify({ bootstrapped: true, at: '2026-11-01T00:00:00.000Z' }));
    expect(await readDemoState(path)).toEqual({ bootstrapped: true, at: '2026-11-01T00:00:00.000Z', ledger: 'embedded' });
    expect(await readDemoState(join(dir, 'missing.json'))).toBeUndefined();
  });

  it('round-trips a Fabric fingerprint and refuses another kind, network or chaincode', async () => {
    const path = join(dir, 'fabric.json');
    await writeDemoState(path, fabric, true);
    const state = await readDemoState(path);
    expect(state).toMatchObject({ ...fabric, bootstrapped: true });
    expect(() => assertSameKind(state, 'fabric', dir)).not.toThrow();
    expect(() => assertSameKind(state, 'embedded', dir)).toThrow(expect.objectContaining({ code: 'DEMO_LEDGER_MISMATCH' }));
    expect(() => assertSameLedger(state, fabric, dir)).not.toThrow();
    expect(() => assertSameLedger(state, { ...fabric, genesisHash: 'cd'.repeat(32) }, dir)).toThrow(
      expect.objectContaining({ code: 'DEMO_LEDGER_MISMATCH', message: expect.stringContaining('--reset') }),
    );
    expect(() => assertSameLedger(state, { ...fabric, chaincode: 'other' }, dir)).toThrow(
      expect.objectContaining({ code: 'DEMO_LEDGER_MISMATCH', message: expect.stringContaining('chaincode other') }),
    );
  });

  it('refuses a state file that is not JSON or names an unknown ledger, with a coded error', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{not json');
    await expect(readDemoState(bad)).rejects.toMatchObject({ code: 'DEMO_LEDGER_MISMATCH' });
    await writeFile(bad, JSON.stringify({ bootstrapped: true, ledger: 'fabric' }));
    await expect(readDemoState(bad)).rejects.toMatchObject({ code: 'DEMO_LEDGER_MISMATCH' });
  });

  it('reads the ledger switch from a flag or XINLIAN_LEDGER', () => {
    expect(parseLedgerKind(undefined)).toBe('embedded');
    expect(parseLedgerKind('')).toBe('embedded');
    expect(parseLedgerKind('fabric')).toBe('fabric');
    expect(() => parseLedgerKind('Fabric')).toThrow(expect.objectContaining({ code: 'DEMO_BAD_OPTION' }));
  });
});
