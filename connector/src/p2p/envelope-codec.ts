/**
 * Wire form of envelopes: canonical JSON in UTF-8, one per length-prefixed frame.
 * Decoding validates the whole shape so nothing malformed reaches a handler.
 */
import { canonicalJson, isJsonValue, type JsonValue } from './canonical-json.js';
import { ENVELOPE_VERSION } from './constants.js';
import type { EnvelopeError, SignedEnvelope } from './envelope.js';
import { P2PError, P2PErrorCode, type ResponseStatus } from './errors.js';

const NONCE = /^0x[0-9a-f]{64}$/;
const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
const KEYS = new Set(['v', 'kind', 'protocol', 'from', 'to', 'nonce', 'issuedAt', 'expiresAt', 'inReplyTo', 'status', 'error', 'body', 'sig']);
const STATUSES: ReadonlySet<string> = new Set<ResponseStatus>(['OK', 'DENIED', 'NOT_FOUND', 'ERROR']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Encodes a signed envelope for the wire.
 *
 * @throws TypeError when the envelope holds values canonical JSON cannot encode.
 */
export function encodeEnvelope(envelope: SignedEnvelope): Uint8Array {
  return new TextEncoder().encode(canonicalJson(envelope));
}

/**
 * Decodes and validates an envelope received from the wire. The signature is
 * not checked here (see `verifyEnvelopeSignature`).
 *
 * @throws P2PError `CONN_BAD_MESSAGE` on invalid UTF-8, invalid JSON, unknown or
 *   missing fields, wrong types, or a request/response field mix.
 */
export function decodeEnvelope(bytes: Uint8Array): SignedEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(bytes));
  } catch (cause) {
    throw bad('envelope is not UTF-8 JSON', cause);
  }
  return validateEnvelope(parsed);
}

/**
 * Validates a parsed envelope.
 *
 * @throws P2PError `CONN_BAD_MESSAGE` describing the first problem found.
 */
export function validateEnvelope(value: unknown): SignedEnvelope {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('envelope must be an object');
  const e = value as Record<string, unknown>;
  for (const key of Object.keys(e)) if (!KEYS.has(key)) throw bad(`unknown envelope field ${JSON.stringify(key.slice(0, 40))}`);
  if (e.v !== ENVELOPE_VERSION) throw bad(`unsupported envelope version (expected ${ENVELOPE_VERSION})`);
  if (e.kind !== 'request' && e.kind !== 'response') throw bad('kind must be request or response');
  const protocol = text(e.protocol, 'protocol', 256);
  const from = text(e.from, 'from', 128);
  const to = e.to === undefined ? undefined : text(e.to, 'to', 128);
  if (typeof e.nonce !== 'string' || !NONCE.test(e.nonce)) throw bad('nonce must be 32 bytes of lowercase hex');
  const issuedAt = time(e.issuedAt, 'issuedAt');
  const expiresAt = time(e.expiresAt, 'expiresAt');
  if (typeof e.sig !== 'string' || !SIGNATURE.test(e.sig)) throw bad('sig must be a 65-byte hex signature');
  if (e.body !== undefined && !isJsonValue(e.body)) throw bad('body is not encodable JSON');
  const body = e.body as JsonValue | undefined;

  let inReplyTo: string | undefined;
  let status: ResponseStatus | undefined;
  let error: EnvelopeError | undefined;
  if (e.kind === 'request') {
    if (e.inReplyTo !== undefined || e.status !== undefined || e.error !== undefined) {
      throw bad('a request carries no inReplyTo, status or error');
    }
  } else {
    if (e.inReplyTo !== undefined) {
      if (typeof e.inReplyTo !== 'string' || !NONCE.test(e.inReplyTo)) throw bad('inReplyTo must be a nonce');
      inReplyTo = e.inReplyTo;
    }
    if (typeof e.status !== 'string' || !STATUSES.has(e.status)) throw bad('status must be OK, DENIED, NOT_FOUND or ERROR');
    status = e.status as ResponseStatus;
    if (status === 'OK') {
      if (e.error !== undefined) throw bad('an OK response carries no error');
    } else {
      if (body !== undefined) throw bad('a failed response carries no body');
      error = envelopeError(e.error);
    }
  }
  return {
    v: ENVELOPE_VERSION,
    kind: e.kind,
    protocol,
    from,
    ...(to === undefined ? {} : { to }),
    nonce: e.nonce,
    issuedAt,
    expiresAt,
    ...(inReplyTo === undefined ? {} : { inReplyTo }),
    ...(status === undefined ? {} : { status }),
    ...(error === undefined ? {} : { error }),
    ...(body === undefined ? {} : { body }),
    sig: e.sig,
  };
}

function envelopeError(value: unknown): EnvelopeError {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('a failed response needs an error object');
  const { code, message, rule, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0) throw bad('error has unknown fields');
  if (typeof code !== 'string' || !CODE.test(code)) throw bad('error.code must be an upper-case code');
  const m = text(message, 'error.message', 2048, true);
  if (rule === undefined) return { code, message: m };
  return { code, message: m, rule: text(rule, 'error.rule', 256) };
}

function text(value: unknown, field: string, max: number, allowEmpty = false): string {
  if (typeof value !== 'string' || value.length > max || (!allowEmpty && value.length === 0)) {
    throw bad(`${field} must be a string of ${allowEmpty ? 0 : 1} to ${max} characters`);
  }
  return value;
}

function time(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw bad(`${field} must be milliseconds since the epoch`);
  }
  return value;
}

function bad(message: string, cause?: unknown): P2PError {
  return new P2PError(P2PErrorCode.BAD_MESSAGE, message, cause === undefined ? {} : { cause });
}
