/**
 * Ledger identities for the embedded ledger: an ECDSA P-256 key and an X.509 certificate
 * issued by a per-MSP CA, as Fabric's cryptogen / fabric-ca would issue them. The chaincode
 * sees them through `ctx.clientIdentity` exactly as on Fabric.
 */
import { createPrivateKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import './reflect.js';
import * as x509 from '@peculiar/x509';
import { LedgerError } from '../errors.js';
import type { LedgerIdentity } from '../ledger-client.js';
import { fabricClientId } from './fabric-shim.js';

/** A signing identity: MSP id, Fabric client id, certificate and private key. */
export interface EmbeddedIdentity extends LedgerIdentity {
  readonly certificatePem: string;
  readonly privateKey: KeyObject;
}

export interface EmbeddedIdentityOptions {
  /** MSP id, e.g. `RegulatorMSP`. Letters, digits, `.`, `_`, `-`. */
  readonly mspId: string;
  /** Common name of the client, e.g. `admin`. Letters, digits, `.`, `_`, `-`, `@`. */
  readonly name: string;
  /**
   * Where the MSP's CA and the identity are kept (`<dir>/<mspId>/ca/`, `<dir>/<mspId>/users/<name>/`,
   * private keys mode 0600). An existing identity is loaded, not re-created. Omitted: in memory only.
   */
  readonly dir?: string;
}

const crypto = webcrypto as unknown as X509Crypto;
type X509Crypto = NonNullable<Parameters<typeof x509.X509CertificateGenerator.create>[1]>;
const ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const MSP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

interface KeyAndCert {
  readonly keyPem: string;
  readonly certPem: string;
}

/**
 * Creates (or, with `dir`, loads when present) an identity of `mspId` named `name`.
 *
 * @throws LedgerError `LEDGER_BAD_REQUEST` on an invalid MSP id or name, or unreadable stored files.
 */
export async function createEmbeddedIdentity(options: EmbeddedIdentityOptions): Promise<EmbeddedIdentity> {
  const { mspId, name, dir } = options;
  if (!MSP_ID.test(mspId)) throw new LedgerError('LEDGER_BAD_REQUEST', `invalid MSP id ${JSON.stringify(mspId)}`);
  if (!NAME.test(name)) throw new LedgerError('LEDGER_BAD_REQUEST', `invalid identity name ${JSON.stringify(name)}`);
  if (dir === undefined) {
    const ca = await newCa(mspId);
    return toIdentity(mspId, await issue(ca, mspId, name));
  }
  const caDir = join(dir, mspId, 'ca');
  const userDir = join(dir, mspId, 'users', name);
  const existing = await readPair(userDir);
  if (existing) return toIdentity(mspId, existing);
  let ca = await readPair(caDir);
  if (!ca) {
    ca = await newCa(mspId);
    await writePair(caDir, ca);
  }
  const user = await issue(ca, mspId, name);
  await writePair(userDir, user);
  return toIdentity(mspId, user);
}

/**
 * Loads an identity from PEM text (e.g. material generated for Fabric by cryptogen).
 *
 * @throws LedgerError `LEDGER_BAD_REQUEST` when the key or certificate cannot be parsed.
 */
export function identityFromPem(mspId: string, certificatePem: string, privateKeyPem: string): EmbeddedIdentity {
  return toIdentity(mspId, { certPem: certificatePem, keyPem: privateKeyPem });
}

function toIdentity(mspId: string, pair: KeyAndCert): EmbeddedIdentity {
  try {
    const privateKey = createPrivateKey(pair.keyPem);
    const clientId = fabricClientId(mspId, pair.certPem);
    return { mspId, clientId, certificatePem: pair.certPem, privateKey };
  } catch (cause) {
    throw new LedgerError('LEDGER_BAD_REQUEST', `identity of ${mspId} is not a usable key and certificate`, { cause });
  }
}

async function newCa(mspId: string): Promise<KeyAndCert> {
  const keys = await crypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: `CN=ca.${mspId}, O=${mspId}`,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + TEN_YEARS_MS),
      keys,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(true, 1, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ],
    },
    crypto,
  );
  return { keyPem: await exportKey(keys.privateKey), certPem: cert.toString('pem') };
}

async function issue(ca: KeyAndCert, mspId: string, name: string): Promise<KeyAndCert> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await crypto.subtle.importKey('pkcs8', pemBody(ca.keyPem), ALG, false, ['sign']);
  const keys = await crypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial(),
      subject: `CN=${name}, OU=client, O=${mspId}`,
      issuer: caCert.subject,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + TEN_YEARS_MS),
      publicKey: keys.publicKey,
      signingKey: caKey,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      ],
    },
    crypto,
  );
  return { keyPem: await exportKey(keys.privateKey), certPem: cert.toString('pem') };
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f; // positive
  return bytes.toString('hex');
}

async function exportKey(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', key));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

function pemBody(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

async function readPair(dir: string): Promise<KeyAndCert | undefined> {
  try {
    const [keyPem, certPem] = await Promise.all([
      readFile(join(dir, 'key.pem'), 'utf8'),
      readFile(join(dir, 'cert.pem'), 'utf8'),
    ]);
    return { keyPem, certPem };
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new LedgerError('LEDGER_BAD_REQUEST', `cannot read identity files in ${dir}`, { cause: e });
  }
}

async function writePair(dir: string, pair: KeyAndCert): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, 'key.pem'), pair.keyPem, { mode: 0o600 });
  await chmod(join(dir, 'key.pem'), 0o600);
  await writeFile(join(dir, 'cert.pem'), pair.certPem, { mode: 0o644 });
}
