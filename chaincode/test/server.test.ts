/**
 * Starts the compiled chaincode as a chaincode service with `fabric-chaincode-node server`
 * (as Fabric's ccaas builder runs it) and checks that it listens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const chaincodeDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function findBin(): string {
  for (let dir = chaincodeDir; ; dir = dirname(dir)) {
    const bin = join(dir, 'node_modules', '.bin', 'fabric-chaincode-node');
    if (existsSync(bin)) return bin;
    if (dirname(dir) === dir) throw new Error('fabric-chaincode-node not installed');
  }
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}

/** Resolves once a TCP connection succeeds; retries while the server starts (bounded attempts, no timing assertion). */
async function connects(port: number, child: ChildProcess, attempts = 100): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (child.exitCode !== null) return false;
    const ok = await new Promise<boolean>((done) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe('chaincode server', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('starts with fabric-chaincode-node server and accepts TCP connections', async () => {
    expect(existsSync(join(chaincodeDir, 'dist', 'index.js')), 'run `npx tsc -b chaincode` first').toBe(true);
    const port = await freePort();
    let stderr = '';
    child = spawn(findBin(), ['server', '--chaincode-address', `127.0.0.1:${port}`, '--chaincode-id', 'xinlian:test'], {
      cwd: chaincodeDir,
      env: { ...process.env, CORE_CHAINCODE_LOGGING_LEVEL: 'WARNING' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const ok = await connects(port, child);
    expect(ok, stderr).toBe(true);
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  });
});
