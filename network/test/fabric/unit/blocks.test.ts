import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { common } from '@hyperledger/fabric-protos';
import { describe, expect, it } from 'vitest';
import { headerHash } from '../../../src/fabric/block-hash.js';
import { parseBlock } from '../../../src/fabric/blocks.js';

// Real blocks fetched from the network of up.sh: the genesis (config) block and two consecutive
// blocks of endorser transactions.
const fixture = (name: string): Uint8Array => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

describe('Fabric block parsing', () => {
  it('links consecutive blocks with the DER header hash Fabric uses', () => {
    const a = parseBlock(fixture('endorser-a.block'));
    const b = parseBlock(fixture('endorser-b.block'));
    expect(b.info.number).toBe(a.info.number + 1n);
    expect(b.info.previousHash).toBe(a.info.hash);
    expect(a.dataHashMatches && b.dataHashMatches).toBe(true);
    expect(a.signatureProblems).toEqual([]);
  });

  it('lists endorser transactions with creator, function, time and validation code', () => {
    const { info } = parseBlock(fixture('endorser-a.block'));
    expect(info.transactions.length).toBeGreaterThan(0);
    for (const tx of info.transactions) {
      expect(tx).toMatchObject({
        txId: expect.stringMatching(/^[0-9a-f]{64}$/),
        blockNumber: info.number,
        validationCode: expect.stringMatching(/^(VALID|MVCC_READ_CONFLICT|ENDORSEMENT_POLICY_FAILURE|BAD_PAYLOAD)$/),
        creator: { mspId: expect.stringMatching(/MSP$/), clientId: expect.stringMatching(/^x509::\/.+::\/.+/) },
        function: expect.stringMatching(/^[a-z]+:[A-Z][A-Za-z]+$/),
      });
      expect(Number.isNaN(Date.parse(tx.timestamp))).toBe(false);
    }
  });

  it('keeps config transactions out of the transaction list', () => {
    const genesis = parseBlock(fixture('genesis.block'));
    expect(genesis.info.number).toBe(0n);
    expect(genesis.info.previousHash).toBe('');
    expect(genesis.info.transactions).toEqual([]);
    expect(genesis.dataHashMatches).toBe(true);
  });

  it('notices altered data and a forged signature', () => {
    const block = common.Block.deserializeBinary(fixture('endorser-a.block'));
    const data = block.getData()!;
    const envelope = common.Envelope.deserializeBinary(data.getDataList_asU8()[0]!);
    const signature = Buffer.from(envelope.getSignature_asU8());
    signature[signature.length - 1] ^= 0x01;
    envelope.setSignature(signature);
    data.setDataList([envelope.serializeBinary(), ...data.getDataList_asU8().slice(1)]);
    const tampered = parseBlock(block.serializeBinary());
    expect(tampered.dataHashMatches).toBe(false);
    expect(tampered.signatureProblems).toEqual([expect.stringMatching(/creator signature does not verify/)]);
  });

  it('hashes the header as DER: minimal integers, sign padding, long-form lengths', () => {
    const empty = new Uint8Array();
    const sha = (hex: string): string => createHash('sha256').update(Buffer.from(hex.replace(/ /g, ''), 'hex')).digest('hex');
    expect(headerHash(0n, empty, empty).toString('hex')).toBe(sha('30 07 02 01 00 04 00 04 00'));
    expect(headerHash(128n, empty, empty).toString('hex')).toBe(sha('30 08 02 02 00 80 04 00 04 00'));
    expect(headerHash(256n, empty, empty).toString('hex')).toBe(sha('30 08 02 02 01 00 04 00 04 00'));
    const long = new Uint8Array(200).fill(0xab);
    expect(headerHash(1n, long, empty).toString('hex')).toBe(sha(`30 81 d0 02 01 01 04 81 c8 ${'ab'.repeat(200)} 04 00`));
    expect(() => headerHash(-1n, empty, empty)).toThrow(RangeError);
  });

  it('throws on bytes that are not a block', () => {
    expect(() => parseBlock(new Uint8Array([0xff, 0xff, 0xff]))).toThrow();
  });
});
