/**
 * Fabric's block hashes: the header hash is SHA-256 of the DER encoding of
 * `SEQUENCE { number INTEGER, previousHash OCTET STRING, dataHash OCTET STRING }`,
 * the data hash SHA-256 of the block's data entries concatenated.
 */
import { createHash } from 'node:crypto';

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function derElement(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

/** DER INTEGER of a non-negative number: minimal big-endian two's complement. */
function derUnsigned(value: bigint): Buffer {
  if (value < 0n) throw new RangeError('block number must not be negative');
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if ((bytes[0]! & 0x80) !== 0) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return derElement(0x02, bytes);
}

/** SHA-256 of the DER-encoded block header, as Fabric chains blocks. */
export function headerHash(number: bigint, previousHash: Uint8Array, dataHash: Uint8Array): Buffer {
  const body = Buffer.concat([derUnsigned(number), derElement(0x04, previousHash), derElement(0x04, dataHash)]);
  return createHash('sha256').update(derElement(0x30, body)).digest();
}

/** SHA-256 of the concatenated data entries of a block. */
export function dataHash(entries: readonly Uint8Array[]): Buffer {
  const h = createHash('sha256');
  for (const entry of entries) h.update(entry);
  return h.digest();
}
