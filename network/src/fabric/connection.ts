/** The gRPC connection and the fabric-gateway session of one client identity. */
import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers, type Gateway } from '@hyperledger/fabric-gateway';
import { LedgerError } from '../errors.js';
import type { ResolvedTimeouts } from './options.js';

export interface GatewaySession {
  readonly gateway: Gateway;
  readonly grpcClient: grpc.Client;
  readonly certificatePem: string;
}

export interface SessionOptions {
  readonly peerEndpoint: string;
  readonly tlsRootCert: string | Uint8Array;
  readonly hostAlias?: string;
  readonly mspId: string;
  readonly certPath: string;
  readonly keyPath: string;
  readonly timeouts: ResolvedTimeouts;
}

function deadline(ms: number): () => grpc.CallOptions {
  return () => ({ deadline: Date.now() + ms });
}

async function readPem(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new LedgerError('LEDGER_BAD_REQUEST', `cannot read the ${what} at ${path}`, { cause: e });
  }
}

/**
 * Opens the gRPC channel to the gateway peer and a gateway session signing as the client.
 * The channel connects lazily and reconnects by itself after the peer comes back.
 *
 * @throws LedgerError `LEDGER_BAD_REQUEST` when the certificate or key cannot be read or parsed.
 */
export async function openSession(options: SessionOptions): Promise<GatewaySession> {
  const certificatePem = await readPem(options.certPath, 'certificate');
  const keyPem = await readPem(options.keyPath, 'private key');
  let signer;
  try {
    signer = signers.newPrivateKeySigner(createPrivateKey(keyPem));
  } catch (e) {
    throw new LedgerError('LEDGER_BAD_REQUEST', `the private key at ${options.keyPath} is not a usable key`, { cause: e });
  }
  const root = typeof options.tlsRootCert === 'string' ? Buffer.from(options.tlsRootCert) : Buffer.from(options.tlsRootCert);
  const channelOptions: grpc.ChannelOptions = {
    'grpc.keepalive_time_ms': 30_000,
    'grpc.initial_reconnect_backoff_ms': 250,
    'grpc.max_reconnect_backoff_ms': 2_000,
    ...(options.hostAlias !== undefined ? { 'grpc.ssl_target_name_override': options.hostAlias } : {}),
  };
  const grpcClient = new grpc.Client(options.peerEndpoint, grpc.credentials.createSsl(root), channelOptions);
  const { timeouts } = options;
  const gateway = connect({
    client: grpcClient,
    identity: { mspId: options.mspId, credentials: Buffer.from(certificatePem) },
    signer,
    hash: hash.sha256,
    evaluateOptions: deadline(timeouts.evaluateMs),
    endorseOptions: deadline(timeouts.endorseMs),
    submitOptions: deadline(timeouts.submitMs),
    commitStatusOptions: deadline(timeouts.commitMs),
  });
  return { gateway, grpcClient, certificatePem };
}
