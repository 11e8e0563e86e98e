/**
 * The pieces of Fabric's own Node chaincode runtime the embedded ledger reuses, so that
 * contracts are dispatched, and see their caller, exactly as on a Fabric peer.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const shimRequire = createRequire(require.resolve('fabric-shim'));

/** What fabric-shim's `shim.success` / `shim.error` return. */
export interface ChaincodeResponse {
  readonly status: number;
  readonly message?: string;
  readonly payload?: Uint8Array;
}

/** fabric-shim's internal `ChaincodeFromContract` (the contract router used by every Node chaincode). */
export interface ContractRouter {
  Invoke(stub: object): Promise<ChaincodeResponse>;
}

type RouterConstructor = new (
  contracts: unknown[],
  serializers: object,
  metadata: object,
  title: string,
  version: string,
) => ContractRouter;

interface ClientIdentityLike {
  getID(): string;
  getMSPID(): string;
}
type ClientIdentityConstructor = new (stub: object) => ClientIdentityLike;

/** `long`'s Long, as fabric-shim returns it for timestamps. */
export interface LongLike {
  toNumber(): number;
}
interface LongStatic {
  fromNumber(value: number, unsigned?: boolean): LongLike;
}

interface WinstonLogger {
  silent: boolean;
  debug(...args: unknown[]): unknown;
  isLevelEnabled(level: string): boolean;
}

interface FidmCertificateStatic {
  fromPEM(pem: Buffer): unknown;
}

const Router = require('fabric-shim/lib/contract-spi/chaincodefromcontract.js') as RouterConstructor;
const shim = require('fabric-shim') as { ClientIdentity: ClientIdentityConstructor };
const contractApi = require('fabric-contract-api') as { JSONSerializer: unknown };
const logging = require('fabric-shim/lib/logger.js') as { getLogger(name: string): WinstonLogger };
const contractLogging = require('fabric-contract-api/lib/logger.js') as { getLogger(name: string): WinstonLogger };

/** fabric-shim's `Long`, so `getTxTimestamp().seconds` has the same type as on a peer. */
export const Long = shimRequire('long') as LongStatic;

/** Most distinct creator certificates whose parsed form is kept (a consortium has a few dozen). */
const MAX_CACHED_CERTIFICATES = 1_000;

/**
 * fabric-shim builds a new `ClientIdentity` for every transaction, parsing the creator's
 * X.509 certificate with @fidm/x509 each time — the largest single cost of a simulation.
 * The parsed certificate never leaves ClientIdentity's constructor (only strings derived
 * from it do), so the same PEM can safely share one parse. Installed once, process-wide.
 */
function cacheCertificateParsing(): void {
  const fidm = shimRequire('@fidm/x509') as { Certificate: FidmCertificateStatic & { __xinlianCached?: true } };
  const Certificate = fidm.Certificate;
  if (Certificate.__xinlianCached) return;
  const parse = Certificate.fromPEM.bind(Certificate);
  const cache = new Map<string, unknown>();
  Certificate.fromPEM = (pem: Buffer): unknown => {
    const key = Buffer.isBuffer(pem) ? pem.toString('latin1') : String(pem);
    let cert = cache.get(key);
    if (cert === undefined) {
      cert = parse(pem); // throws for a bad certificate: nothing is cached then
      if (cache.size >= MAX_CACHED_CERTIFICATES) cache.clear();
      cache.set(key, cert);
    }
    return cert;
  };
  Certificate.__xinlianCached = true;
}

/**
 * winston formats every message (timestamp, colours, util.inspect of metadata) before its
 * transport drops it by level, so fabric-shim's per-transaction `debug` calls cost more
 * than the chaincode itself. Check the level first: the same messages appear when the
 * level is debug, none is formatted when it is not.
 */
function checkLevelBeforeDebug(logger: WinstonLogger): void {
  const debug = logger.debug.bind(logger);
  logger.debug = (...args: unknown[]): unknown => (logger.isLevelEnabled('debug') ? debug(...args) : logger);
}

const patchedLoggers = new WeakSet<WinstonLogger>();

function quietHotLoggers(): void {
  const hot: [{ getLogger(name: string): WinstonLogger }, string][] = [
    [logging, 'contracts-spi/chaincodefromcontract.js'],
    [logging, 'contracts-spi/datamarshall.js'],
    [logging, 'lib/chaincode.js'],
    [contractLogging, './lib/jsontransactionserializer.js'],
    [contractLogging, './lib/contract.js'],
  ];
  for (const [source, name] of hot) {
    const logger = source.getLogger(name);
    if (patchedLoggers.has(logger)) continue;
    checkLevelBeforeDebug(logger);
    patchedLoggers.add(logger);
  }
}

/**
 * Builds fabric-shim's contract router over the given contract classes, with
 * fabric-contract-api's JSON serializer, as `fabric-chaincode-node` does at start-up.
 * The router (and fabric-contract-api's Contract) log every failed transaction at error level; silenced unless
 * `CORE_CHAINCODE_LOGGING_LEVEL` is set (the failure is returned to the client instead).
 *
 * @throws Error from fabric-shim when a class is not a fabric-contract-api Contract.
 */
export function createContractRouter(contracts: readonly unknown[], title: string, version: string): ContractRouter {
  cacheCertificateParsing();
  quietHotLoggers();
  if (process.env.CORE_CHAINCODE_LOGGING_LEVEL === undefined) {
    logging.getLogger('contracts-spi/chaincodefromcontract.js').silent = true;
    contractLogging.getLogger('./lib/contract.js').silent = true;
  }
  const serializers = { transaction: 'jsonSerializer', serializers: { jsonSerializer: contractApi.JSONSerializer } };
  // The router appends its system contract to the array it is given: pass a copy.
  return new Router([...contracts], serializers, {}, title, version);
}

/**
 * Fabric's client id (`x509::<subject DN>::<issuer DN>`) of an X.509 certificate, computed by
 * fabric-shim's own ClientIdentity so it matches `ctx.clientIdentity.getID()` on a peer.
 *
 * @throws Error when the PEM is not a parseable certificate.
 */
export function fabricClientId(mspId: string, certificatePem: string): string {
  const fakeStub = {
    getChannelID: () => '',
    getTxID: () => '',
    getCreator: () => ({ mspid: mspId, idBytes: Buffer.from(certificatePem) }),
  };
  return new shim.ClientIdentity(fakeStub).getID();
}
