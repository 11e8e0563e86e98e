import type { UsageContractMessage } from '@xinlian/chaincode';
import type { JsonValue } from '../p2p/index.js';
import { ExchangeError, ExchangeErrorCode } from './errors.js';

/** NEGOTIATION request: the consumer's signed offer of a usage contract. */
export interface NegotiationRequest {
  readonly agreement: UsageContractMessage;
  readonly consumerSignature: string;
}

/** TRANSFER request: one model output for one subject under a contract and a consent. */
export interface TransferRequest {
  /** Idempotency key chosen by the consumer: a retry returns the first output and receipt. */
  readonly requestId: string;
  readonly contractId: string;
  readonly consentId: string;
  readonly subjectToken: string;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const TOKEN = /^0x[0-9a-f]{64}$/;
const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;

function fail(what: string): never {
  throw new ExchangeError(ExchangeErrorCode.BAD_MESSAGE, `malformed message: ${what}`);
}

function obj(v: JsonValue | undefined, what: string): Record<string, JsonValue> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${what} must be an object`);
  return v as Record<string, JsonValue>;
}

function str(o: Record<string, JsonValue>, key: string, pattern: RegExp = ID): string {
  const v = o[key];
  if (typeof v !== 'string' || !pattern.test(v)) fail(`${key} is missing or malformed`);
  return v;
}

function int(o: Record<string, JsonValue>, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(`${key} must be a non-negative integer`);
  return v;
}

/** @throws ExchangeError `CONN_BAD_MESSAGE` */
export function parseNegotiationRequest(body: JsonValue | undefined): NegotiationRequest {
  const o = obj(body, 'body');
  const a = obj(o['agreement'], 'agreement');
  const agreement: UsageContractMessage = {
    contractId: str(a, 'contractId'),
    productId: str(a, 'productId'),
    provider: str(a, 'provider'),
    consumer: str(a, 'consumer'),
    purpose: str(a, 'purpose'),
    validUntil: int(a, 'validUntil'),
    maxUses: int(a, 'maxUses'),
    ratePerMinute: int(a, 'ratePerMinute'),
    policyHash: str(a, 'policyHash', TOKEN),
  };
  return { agreement, consumerSignature: str(o, 'consumerSignature', SIGNATURE) };
}

/** @throws ExchangeError `CONN_BAD_MESSAGE` */
export function parseTransferRequest(body: JsonValue | undefined): TransferRequest {
  const o = obj(body, 'body');
  return {
    requestId: str(o, 'requestId'),
    contractId: str(o, 'contractId'),
    consentId: str(o, 'consentId'),
    subjectToken: str(o, 'subjectToken', TOKEN),
  };
}

export { ExchangeErrorCode };
