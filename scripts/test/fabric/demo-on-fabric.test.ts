/**
 * The demo consortium on the live Fabric network (`npm run fabric:up`), behind the real
 * gateway on an ephemeral port: the same HTTP API as on the embedded ledger, with every
 * institution transacting as its own Fabric user and block numbers coming from Fabric.
 * Runs on a freshly deployed chaincode definition, so it never touches the default one.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnectorServices, createMemoryApiKeyStore, startGateway, type RunningGateway } from '@xinlian/gateway';
import type { LedgerClient } from '@xinlian/network';
import { createFabricLedgerClient, fabricBlockBytes, loadFabricProfile } from '@xinlian/network/fabric';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConsortium, type FabricDemoConsortium } from '../../src/demo/consortium.js';
import { loadOrCreateCredentials, type DemoCredentials } from '../../src/demo/credentials.js';
import { FABRIC_DEMO_IDENTITIES } from '../../src/demo/fabric-ledger.js';
import { DEMO_INSTITUTIONS, DEMO_PROVIDER } from '../../src/demo/plan.js';
import { call, freshChaincode, signTypedData, type TypedDataJson } from './support.js';

const SEED = 'xinlian-demo-on-fabric';
const LENDER = 'microloan-a';
const PRODUCT = 'sme-credit-score';

let chaincode: string;
let dataDir: string;
let consortium: FabricDemoConsortium | undefined;
let gateway: RunningGateway | undefined;
let credentials: DemoCredentials;
let fabric: LedgerClient;
/** The channel's height before this suite's demo run: its blocks are the ones after. */
let startHeight: bigint;
const cleanup: string[] = [];

const as = (id: string): string => credentials.institutions[id]!.apiKey;
const url = (): string => gateway!.url;

beforeAll(async () => {
  chaincode = await freshChaincode('demo');
  dataDir = await mkdtemp(join(tmpdir(), 'xinlian-demo-fabric-'));
  cleanup.push(dataDir);
  fabric = await createFabricLedgerClient({ ...(await loadFabricProfile({ org: 'regulator', user: 'User1' })), chaincode });
  startHeight = await fabric.getHeight();
  const started = Date.now();
  consortium = await openConsortium({ dataDir, ledger: 'fabric', fabricChaincode: chaincode, enterprises: 30, seed: SEED });
  console.log(`demo on Fabric: bootstrapped 30 enterprises in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const provider = consortium.connectors.get(DEMO_PROVIDER)!;
  const created = await loadOrCreateCredentials(dataDir, 'http://127.0.0.1:0', provider.store, consortium.subjectWallet);
  credentials = created.credentials;
  gateway = await startGateway(
    { services: createConnectorServices({ connectors: consortium.connectors }), apiKeys: createMemoryApiKeyStore(created.apiKeys), defaultMetrics: false },
    { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
  );
});

afterAll(async () => {
  await gateway?.close().catch(() => undefined);
  await consortium?.close().catch(() => undefined);
  await fabric?.close();
  for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
});

describe('the demo consortium on Fabric', () => {
  it('records the Fabric channel, chaincode and block 0 hash it was bootstrapped on', async () => {
    const state = JSON.parse(await readFile(join(dataDir, 'demo', 'state.json'), 'utf8')) as Record<string, unknown>;
    const genesis = await fabric.getBlock(0n);
    expect(state).toMatchObject({ bootstrapped: true, ledger: 'fabric', fabric: { channel: 'xinlian', chaincode, genesisHash: genesis!.hash } });
    expect(consortium).toMatchObject({ ledgerKind: 'fabric', created: true, fabric: { chaincode, genesisHash: genesis!.hash } });
  });

  it('gives every institution its own Fabric identity, bound on the ledger', async () => {
    const identities = [...consortium!.connectors.values()].map((c) => c.ledger.identity);
    expect(new Set(identities.map((i) => `${i.mspId} ${i.clientId}`)).size).toBe(DEMO_INSTITUTIONS.length);
    for (const plan of DEMO_INSTITUTIONS) {
      const id = consortium!.connectors.get(plan.id)!.ledger.identity;
      const org = FABRIC_DEMO_IDENTITIES[plan.id]!.org;
      expect(id.mspId).toBe(`${org[0]!.toUpperCase()}${org.slice(1)}MSP`);
      expect(id.clientId).toContain(`${FABRIC_DEMO_IDENTITIES[plan.id]!.user}@${org}.xinlian.local`);
    }
    const res = await call<{ institutions: { id: string; roles: string[]; status: string }[] }>(url(), as(LENDER), '/v1/institutions');
    expect(res.status, res.text).toBe(200);
    expect(res.body.institutions.map((i) => i.id).sort()).toEqual(DEMO_INSTITUTIONS.map((p) => p.id).sort());
    expect(res.body.institutions.every((i) => i.status === 'active')).toBe(true);
  });

  it('negotiates a contract, takes the enterprise’s signed consent and delivers a report whose receipt is in a Fabric block', async () => {
    const contract = await call<{ contractId: string; status: string; provider: string }>(url(), as(LENDER), '/v1/contracts', { productId: PRODUCT, purpose: 'pre_loan' });
    expect(contract.status, contract.text).toBe(201);
    expect(contract.body).toMatchObject({ status: 'active', provider: DEMO_PROVIDER });

    const uscc = credentials.subjects[0]!.uscc;
    const validUntil = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const draft = await call<{ typedData: TypedDataJson }>(url(), as(LENDER), '/v1/consents/draft', {
      uscc, grantee: LENDER, products: [PRODUCT], purpose: 'pre_loan', validUntil,
    });
    expect(draft.status, draft.text).toBe(200);
    const signature = await signTypedData(consortium.subjectWallet(uscc), draft.body.typedData);
    const consent = await call<{ consentId: string; txId: string }>(url(), as(LENDER), '/v1/consents', { message: draft.body.typedData.message, signature });
    expect(consent.status, consent.text).toBe(201);
    const consentTx = await fabric.getTransaction(consent.body.txId);
    expect(consentTx).toMatchObject({ validationCode: 'VALID', function: 'consents:Grant', creator: { mspId: 'LenderMSP' } });

    const report = await call<{ report: Record<string, unknown>; receipt: { receiptId: string; txId: string } }>(url(), as(LENDER), '/v1/risk-reports', {
      contractId: contract.body.contractId, consentId: consent.body.consentId, uscc,
    });
    expect(report.status, report.text).toBe(200);
    expect(report.body.report).toMatchObject({ productId: PRODUCT, grade: expect.stringMatching(/^[A-E]$/) });

    const recorded = await call<{ block: number; txId: string }>(url(), as('guarantor'), `/v1/provenance/${report.body.receipt.receiptId}`);
    expect(recorded.status, recorded.text).toBe(200);
    const receiptTx = await fabric.getTransaction(report.body.receipt.txId);
    expect(receiptTx).toMatchObject({ validationCode: 'VALID', function: 'receipts:Record', creator: { mspId: 'ProviderMSP' } });
    expect(BigInt(recorded.body.block)).toBe(receiptTx!.blockNumber);

    const verified = await call<{ valid: boolean; checks: Record<string, boolean> }>(url(), as('guarantor'), '/v1/provenance/verify', report.body);
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body).toEqual({ valid: true, checks: { hash: true, signature: true, ledger: true, contract: true, consent: true } });
    const tampered = { ...report.body, report: { ...report.body.report, score: 1000 } };
    const refused = await call<{ valid: boolean; checks: Record<string, boolean> }>(url(), as('guarantor'), '/v1/provenance/verify', tampered);
    expect(refused.body).toMatchObject({ valid: false, checks: { hash: false } });
  });

  it('puts no USCC and no enterprise name in any block of the run (every payload, every event, as the peer stores them)', async () => {
    const identifiers: string[] = [];
    for await (const record of consortium!.connectors.get(DEMO_PROVIDER)!.store.enterprises.values()) identifiers.push(record.uscc, record.name);
    expect(identifiers).toContain(credentials.subjects[0]!.uscc);
    const height = await fabric.getHeight();
    expect(height - startHeight).toBeGreaterThan(5n);
    const found: string[] = [];
    for (let n = startHeight; n < height; n++) {
      // Protobuf carries strings and payloads as their bytes: a plain identifier shows as itself.
      const text = Buffer.from((await fabricBlockBytes(fabric, n))!).toString('utf8');
      const upper = text.toUpperCase();
      for (const id of identifiers) if (text.includes(id) || upper.includes(id.toUpperCase())) found.push(`${id} in block ${n}`);
    }
    expect(found).toEqual([]);
  });

  it('checks the integrity of the Fabric chain for the regulator', async () => {
    const res = await call<{ ok: boolean; height: number; headHash: string }>(url(), as('regulator'), '/v1/audit/integrity');
    expect(res.status, res.text).toBe(200);
    expect(res.body.ok).toBe(true);
    const head = await fabric.getBlock(BigInt(res.body.height - 1));
    expect(res.body.headHash).toBe(head!.hash);
    expect(BigInt(res.body.height)).toBeLessThanOrEqual(await fabric.getHeight());
    const denied = await call<{ error: { code: string } }>(url(), as(LENDER), '/v1/audit/integrity');
    expect(denied.status).toBe(403);
  });

  it('refuses to reopen the data directory on another ledger or another network, and reopens it on its own', async () => {
    await gateway!.close();
    gateway = undefined;
    await consortium!.close();
    consortium = undefined;

    await expect(openConsortium({ dataDir, seed: SEED })).rejects.toMatchObject({
      name: 'DemoError', code: 'DEMO_LEDGER_MISMATCH', message: expect.stringContaining('--ledger fabric'),
    });
    const statePath = join(dataDir, 'demo', 'state.json');
    const state = await readFile(statePath, 'utf8');
    const parsed = JSON.parse(state) as { fabric: { genesisHash: string } };
    await writeFile(statePath, JSON.stringify({ ...parsed, fabric: { ...parsed.fabric, genesisHash: '00'.repeat(32) } }));
    await expect(openConsortium({ dataDir, ledger: 'fabric', seed: SEED })).rejects.toMatchObject({
      code: 'DEMO_LEDGER_MISMATCH', message: expect.stringContaining('fabric:reset'),
    });
    await writeFile(statePath, state);

    const reopened = await openConsortium({ dataDir, ledger: 'fabric', seed: SEED });
    try {
      expect(reopened).toMatchObject({ ledgerKind: 'fabric', created: false, fabric: { chaincode } });
      const whoami = await reopened.connectors.get('bank-b')!.ledger.whoami();
      expect(whoami.id).toBe('bank-b');
    } finally {
      await reopened.close();
    }
  });

  it('refuses a second bootstrap of the same chaincode from another data directory', async () => {
    const other = await mkdtemp(join(tmpdir(), 'xinlian-demo-fabric-'));
    cleanup.push(other);
    await expect(openConsortium({ dataDir: other, ledger: 'fabric', fabricChaincode: chaincode, enterprises: 5, seed: SEED })).rejects.toMatchObject({
      code: 'DEMO_ALREADY_INITIALIZED', message: expect.stringContaining('npm run fabric:reset'),
    });
  });

  it('tells the user to run fabric:up when the network is not there', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'xinlian-no-fabric-'));
    cleanup.push(empty);
    await expect(openConsortium({ dataDir: join(empty, 'data'), ledger: 'fabric', fabricStateDir: empty })).rejects.toMatchObject({
      code: 'DEMO_FABRIC_DOWN', message: expect.stringContaining('npm run fabric:up'),
    });
  });
});
