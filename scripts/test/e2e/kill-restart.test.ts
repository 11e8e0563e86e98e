/**
 * kill -9 of the demo in the middle of a stream of idempotent writes, then a restart on the
 * same data directory and the same requests replayed: every write the gateway acknowledged
 * before the kill is on the ledger exactly once, and so is every other request of the
 * stream (counted through the regulator's audit API). The demo runs as `npm start` runs it
 * (`node scripts/dist/start.js`, built by `tsc -b`), as a child process on a real port.
 *
 * The restart after the kill also runs the embedded ledger's deep integrity check (the
 * open marker was left behind), and the banner never prints an API key.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoCredentials } from '../../src/demo/credentials.js';
import { signTypedData, type TypedDataJson } from './harness.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const START = join(root, 'scripts/dist/start.js');
const LENDER = 'microloan-a';
const LENDING_REQUESTS = 24;
const REPORT_REQUESTS = 12;
/** Acknowledged answers to wait for before the kill. */
const KILL_AFTER = 14;

interface Demo {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

interface Request {
  readonly key: string;
  readonly path: string;
  readonly body: unknown;
}

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly replayed: boolean;
}

let dataDir: string;
let port: number;
let demo: Demo | undefined;
let url: string;
let credentials: DemoCredentials;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** Starts the demo as `npm start` does and resolves once it prints that it is up. */
async function startDemo(): Promise<Demo> {
  const child = spawn(process.execPath, [START, '--enterprises', '30', '--seed', 'kill-restart'], {
    env: { ...process.env, XINLIAN_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const up = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('xinlian is up')) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    void exited.then(({ code, signal }) => {
      clearInterval(timer);
      reject(new Error(`the demo exited (${String(code ?? signal)}) before it was up:\n${output}`));
    });
  });
  await up;
  return { child, output: () => output, exited };
}

async function call(path: string, apiKey: string, body?: unknown, idempotencyKey?: string): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
  const res = await fetch(`${url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown>, replayed: res.headers.get('idempotent-replayed') === 'true' };
}

const key = (id: string): string => credentials.institutions[id]!.apiKey;

/** Every audit event of `type` since `from` (of one institution when given), all pages. */
async function auditEvents(type: string, from: string, institution?: string): Promise<{ txId: string; institution: string }[]> {
  const out: { txId: string; institution: string }[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ type, from, limit: '100', ...(institution ? { institution } : {}), ...(cursor ? { cursor } : {}) });
    const res = await call(`/v1/audit/events?${query.toString()}`, key('regulator'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    out.push(...(res.body['events'] as { txId: string; institution: string }[]));
    cursor = res.body['cursor'] as string | undefined;
  } while (cursor);
  return out;
}

beforeAll(async () => {
  if (!existsSync(START)) throw new Error(`${START} is missing: run \`npx tsc -b\` first (npm test does)`);
  dataDir = await mkdtemp(join(tmpdir(), 'xinlian-kill-'));
  port = await freePort();
  url = `http://127.0.0.1:${port}`;
}, 30_000);
afterAll(async () => {
  if (demo && demo.child.exitCode === null && demo.child.signalCode === null) {
    demo.child.kill('SIGKILL');
    await demo.exited;
  }
  await rm(dataDir, { recursive: true, force: true });
});

describe('kill -9 mid-stream of idempotent writes, restart, replay', () => {
  it('keeps every acknowledged write exactly once, and every other one once after the replay', async () => {
    demo = await startDemo();
    credentials = JSON.parse(await readFile(join(dataDir, 'demo', 'credentials.json'), 'utf8')) as DemoCredentials;
    // The banner names the credentials file and prints no key.
    expect(demo.output()).toContain(join(dataDir, 'demo', 'credentials.json'));
    for (const { apiKey } of Object.values(credentials.institutions)) expect(demo.output()).not.toContain(apiKey);

    // A lender admitted through the gateway and hosted by the demo (its keys, identity and connector made here).
    const hosted = await call('/v1/institutions', key('regulator'), { id: 'lender-hosted', name: 'Hosted Microloan', roles: ['microlender'] });
    expect(hosted.status, JSON.stringify(hosted.body)).toBe(201);
    const hostedKey = hosted.body['apiKey'] as string;
    const hostedEvent = (n: number) => ({ events: [{ uscc: credentials.subjects[1]!.uscc, type: 'application', occurredAt: new Date(Date.now() - n * 60_000).toISOString() }] });
    expect((await call('/v1/lending-events', hostedKey, hostedEvent(2))).status).toBe(201);

    // A contract and a consent for the reports, made before the stream (no key: not replayed).
    const contract = await call('/v1/contracts', key(LENDER), { productId: 'sme-credit-score', purpose: 'pre_loan' });
    expect(contract.status, JSON.stringify(contract.body)).toBe(201);
    const subject = credentials.subjects[0]!;
    const draft = await call('/v1/consents/draft', key(LENDER), {
      uscc: subject.uscc,
      grantee: LENDER,
      products: ['sme-credit-score'],
      purpose: 'pre_loan',
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(200);
    const typed = draft.body['typedData'] as TypedDataJson;
    const consent = await call('/v1/consents', key(LENDER), { message: typed.message, signature: await signTypedData(new Wallet(subject.signerPrivateKey), typed) });
    expect(consent.status, JSON.stringify(consent.body)).toBe(201);
    const streamFrom = new Date(Date.now() - 1000).toISOString();

    // The stream: lending batches (an application of one subject each) and risk reports, interleaved.
    const run = Date.now().toString(36);
    const requests: Request[] = [];
    for (let i = 0; i < LENDING_REQUESTS + REPORT_REQUESTS; i++) {
      const report = i % 3 === 2 && requests.filter((r) => r.path === '/v1/risk-reports').length < REPORT_REQUESTS;
      if (report || requests.filter((r) => r.path === '/v1/lending-events').length >= LENDING_REQUESTS) {
        requests.push({ key: `${run}-report-${i}`, path: '/v1/risk-reports', body: { contractId: contract.body['contractId'], consentId: consent.body['consentId'], uscc: subject.uscc } });
      } else {
        const uscc = credentials.subjects[i % credentials.subjects.length]!.uscc;
        requests.push({
          key: `${run}-lending-${i}`,
          path: '/v1/lending-events',
          body: { events: [{ uscc, type: 'application', amount: 100_000 + i, occurredAt: new Date(Date.now() - 3_600_000).toISOString() }] },
        });
      }
    }

    // Four at a time; kill -9 once KILL_AFTER answers are acknowledged.
    const acknowledged = new Map<string, Answer>();
    let next = 0;
    let killed = false;
    const worker = async (): Promise<void> => {
      while (!killed && next < requests.length) {
        const r = requests[next++]!;
        try {
          const answer = await call(r.path, key(LENDER), r.body, r.key);
          if (answer.status >= 200 && answer.status < 300) {
            if (!killed) acknowledged.set(r.key, answer);
          } else if (!killed) {
            throw new Error(`${r.path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
          }
        } catch (e) {
          if (!killed) throw e; // only the kill may cut an answer off
        }
        if (!killed && acknowledged.size >= KILL_AFTER) {
          killed = true;
          demo!.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    expect(await demo.exited).toMatchObject({ signal: 'SIGKILL' });
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(acknowledged.size).toBeLessThan(requests.length);

    // Restart on the same data directory: the ledger was not closed cleanly, so it is deep-checked.
    demo = await startDemo();
    expect(demo.output()).toMatch(/last stop was not clean: the ledger passed the deep integrity check/);
    // The hosted lender was reopened with the demo: its key still works and its connector acts as it.
    const again = await call('/v1/lending-events', hostedKey, hostedEvent(1));
    expect(again.status, JSON.stringify(again.body)).toBe(201);

    // Replay the whole stream with the same keys and bodies.
    for (const r of requests) {
      const answer = await call(r.path, key(LENDER), r.body, r.key);
      expect(answer.status, `${r.key}: ${JSON.stringify(answer.body)}`).toBeGreaterThanOrEqual(200);
      expect(answer.status).toBeLessThan(300);
      const first = acknowledged.get(r.key);
      if (first) {
        // An acknowledged write answers its first answer again.
        expect({ key: r.key, status: answer.status, body: answer.body, replayed: answer.replayed }).toEqual({ key: r.key, status: first.status, body: first.body, replayed: true });
      }
    }

    // On the ledger: every request once, every acknowledged one under its acknowledged transaction.
    const lending = await auditEvents('lending_events_recorded', streamFrom, LENDER);
    const receipts = await auditEvents('receipt_recorded', streamFrom);
    const count = (events: { txId: string }[], txId: string): number => events.filter((e) => e.txId === txId).length;
    expect(lending).toHaveLength(LENDING_REQUESTS);
    expect(receipts).toHaveLength(REPORT_REQUESTS);
    expect(new Set(lending.map((e) => e.txId)).size).toBe(LENDING_REQUESTS);
    expect(new Set(receipts.map((e) => e.txId)).size).toBe(REPORT_REQUESTS);
    for (const [k, answer] of acknowledged) {
      if (k.includes('-lending-')) {
        for (const txId of answer.body['txIds'] as string[]) expect({ k, n: count(lending, txId) }).toEqual({ k, n: 1 });
      } else {
        const txId = (answer.body['receipt'] as { txId: string }).txId;
        expect({ k, n: count(receipts, txId) }).toEqual({ k, n: 1 });
      }
    }

    // A clean stop; everything in the data directory is private.
    demo.child.kill('SIGTERM');
    expect(await demo.exited).toMatchObject({ code: 0 });
    expect(existsSync(join(dataDir, 'ledger', 'XINLIAN-OPEN'))).toBe(false);
    const loose: string[] = [];
    const walk = async (path: string): Promise<void> => {
      const info = await lstat(path);
      if (info.isSymbolicLink()) return;
      if ((info.mode & 0o777) !== (info.isDirectory() ? 0o700 : 0o600)) loose.push(`${path} ${(info.mode & 0o777).toString(8)}`);
      if (info.isDirectory()) for (const name of await readdir(path)) await walk(join(path, name));
    };
    await walk(dataDir);
    expect(loose).toEqual([]);
  }, 600_000);
});
