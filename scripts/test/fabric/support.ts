/** Helpers of the demo-on-Fabric tests: a fresh chaincode definition and HTTP calls to the gateway. */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Wallet } from 'ethers';

const run = promisify(execFile);
const chaincodeScript = fileURLToPath(new URL('../../../network/fabric/chaincode.sh', import.meta.url));

/**
 * Commits a new chaincode definition with a fresh name for the running package (same service
 * process, same channel): an empty world state, so `institutions:Initialize` can run again.
 */
export async function freshChaincode(prefix: string): Promise<string> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await run('bash', [chaincodeScript, 'deploy'], { env: { ...process.env, FABRIC_CC_NAME: name } });
  return name;
}

export interface HttpResult<T> {
  readonly status: number;
  readonly body: T;
  readonly text: string;
}

/** One JSON call to the gateway as the holder of `apiKey` (GET without a body, else POST). */
export async function call<T = Record<string, unknown>>(url: string, apiKey: string, path: string, body?: unknown): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed as T, text };
}

export interface TypedDataJson {
  readonly domain: Record<string, unknown>;
  readonly types: Record<string, { name: string; type: string }[]>;
  readonly primaryType: string;
  readonly message: Record<string, unknown>;
}

/** Signs drafted EIP-712 data as the enterprise's app would (without the EIP712Domain entry). */
export function signTypedData(wallet: Wallet, typed: TypedDataJson): Promise<string> {
  const { EIP712Domain: _domain, ...types } = typed.types;
  return wallet.signTypedData(typed.domain, types, typed.message);
}
