/** Options of the Fabric ledger client, validated once when the client is created. */
import { LedgerError } from '../errors.js';

/** Deadlines of each gRPC call, in milliseconds. */
export interface FabricTimeouts {
  /** Evaluate a transaction (default 10 s). */
  readonly evaluateMs?: number;
  /** Endorse a transaction (default 20 s). */
  readonly endorseMs?: number;
  /** Hand an endorsed transaction to the orderers (default 10 s). */
  readonly submitMs?: number;
  /** Wait for the commit status of a submitted transaction (default 60 s, retried within it). */
  readonly commitMs?: number;
}

export interface FabricLedgerClientOptions {
  /** `host:port` of the institution's gateway peer, e.g. `127.0.0.1:7000`. */
  readonly peerEndpoint: string;
  /** PEM of the CA that issued the peer's TLS certificate. */
  readonly tlsRootCert: string | Uint8Array;
  /** TLS server name to expect when it differs from the endpoint's host (e.g. `peer0.lender.xinlian.local`). */
  readonly hostAlias?: string;
  /** The client's MSP id, e.g. `LenderMSP`. */
  readonly mspId: string;
  /** Path of the client's X.509 certificate (PEM). */
  readonly certPath: string;
  /** Path of the client's private key (PEM, PKCS#8). */
  readonly keyPath: string;
  readonly channel: string;
  readonly chaincode: string;
  readonly timeouts?: FabricTimeouts;
}

export interface ResolvedTimeouts {
  readonly evaluateMs: number;
  readonly endorseMs: number;
  readonly submitMs: number;
  readonly commitMs: number;
}

const DEFAULTS: ResolvedTimeouts = { evaluateMs: 10_000, endorseMs: 20_000, submitMs: 10_000, commitMs: 60_000 };

function bad(message: string): LedgerError {
  return new LedgerError('LEDGER_BAD_REQUEST', message);
}

function nonEmpty(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw bad(`${name} must be a non-empty string`);
  return value;
}

/**
 * Checks the options and fills in default deadlines.
 *
 * @throws LedgerError `LEDGER_BAD_REQUEST` naming the first bad option.
 */
export function resolveOptions(options: FabricLedgerClientOptions): FabricLedgerClientOptions & { readonly timeouts: ResolvedTimeouts } {
  if (typeof options !== 'object' || options === null) throw bad('options must be an object');
  const endpoint = nonEmpty(options.peerEndpoint, 'peerEndpoint');
  if (!/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/.test(endpoint)) throw bad(`peerEndpoint must be host:port, got ${endpoint}`);
  for (const key of ['mspId', 'certPath', 'keyPath', 'channel', 'chaincode'] as const) nonEmpty(options[key], key);
  if (options.hostAlias !== undefined) nonEmpty(options.hostAlias, 'hostAlias');
  const root = options.tlsRootCert;
  const rootText = typeof root === 'string' ? root : root instanceof Uint8Array ? Buffer.from(root).toString('utf8') : '';
  if (!rootText.includes('-----BEGIN CERTIFICATE-----')) throw bad('tlsRootCert must be a PEM certificate');
  const timeouts = { ...DEFAULTS };
  for (const [key, value] of Object.entries(options.timeouts ?? {})) {
    if (!(key in DEFAULTS)) throw bad(`unknown timeout ${key}`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw bad(`timeouts.${key} must be a positive number`);
    timeouts[key as keyof ResolvedTimeouts] = value;
  }
  return { ...options, timeouts };
}
