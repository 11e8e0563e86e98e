import { createHmac } from 'node:crypto';
import { ConnectorError, ConnectorErrorCode } from './errors.js';
import { validateUscc } from './uscc.js';

/** Minimum consortium key length in bytes: a short key makes the token brute-forceable. */
export const MIN_CONSORTIUM_KEY_BYTES = 16;

/**
 * The blinded subject token the ledger knows an enterprise by:
 * `0x` + lowercase hex of HMAC-SHA256(consortiumKey, uscc).
 *
 * The key is never logged or put in an error message.
 * @throws ConnectorError `CONN_BAD_INPUT` when the USCC is invalid or the key is shorter
 *   than {@link MIN_CONSORTIUM_KEY_BYTES} bytes.
 */
export function subjectToken(uscc: string, consortiumKey: Uint8Array | string): string {
  const check = validateUscc(uscc);
  if (!check.ok)
    throw new ConnectorError(ConnectorErrorCode.BAD_INPUT, `invalid USCC: ${check.reason}`);
  return blind(uscc, consortiumKey);
}

/**
 * `0x` + lowercase hex of HMAC-SHA256(consortiumKey, input): the consortium-keyed blinding
 * behind subject tokens and blinded attributes.
 * @throws ConnectorError `CONN_BAD_INPUT` when the key is shorter than {@link MIN_CONSORTIUM_KEY_BYTES} bytes.
 */
export function blind(input: string, consortiumKey: Uint8Array | string): string {
  const key =
    typeof consortiumKey === 'string' ? Buffer.from(consortiumKey, 'utf8') : consortiumKey;
  if (!(key instanceof Uint8Array) || key.byteLength < MIN_CONSORTIUM_KEY_BYTES) {
    throw new ConnectorError(
      ConnectorErrorCode.BAD_INPUT,
      `the consortium key must be at least ${MIN_CONSORTIUM_KEY_BYTES} bytes`,
    );
  }
  return '0x' + createHmac('sha256', key).update(input, 'utf8').digest('hex');
}

/** True when `s` has the shape of a subject token (`0x` + 64 lowercase hex). */
export function isSubjectToken(s: unknown): s is string {
  return typeof s === 'string' && /^0x[0-9a-f]{64}$/.test(s);
}
