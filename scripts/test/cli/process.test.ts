import { spawn, spawnSync } from 'node:child_process';
import { rm, rmdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
// Compiled inside the scripts package (git-ignored dist/), so the child resolves
// @xinlian/chaincode and ethers; one folder per run, so parallel runs do not collide.
const buildDir = fileURLToPath(new URL(`./support/dist/run-${process.pid}`, import.meta.url));

beforeAll(() => {
  // The child runs the CLI compiled by tsc (there is no TypeScript loader outside vitest).
  const args = ['--outDir', buildDir, '--rootDir', join(root, 'scripts/src'), '--module', 'nodenext', '--moduleResolution', 'nodenext',
    '--target', 'es2022', '--lib', 'es2023', '--skipLibCheck', '--types', 'node', '--noCheck', join(root, 'scripts/src/cli.ts')];
  const build = spawnSync(join(root, 'node_modules/.bin/tsc'), args, { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`compiling the CLI failed:\n${build.stdout}${build.stderr}`);
}, 120_000);
afterAll(async () => {
  await rm(buildDir, { recursive: true, force: true });
  await rmdir(dirname(buildDir)).catch(() => undefined); // only when no other run still uses it
});

/** Runs `node cli.js ...argv` and collects its exit code and output. */
function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(buildDir, 'cli.js'), ...argv], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', XINLIAN_DATA_DIR: '/nonexistent/xinlian', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the xinlian executable', () => {
  it('prints its help and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: xinlian <command>/);
  });

  it('exits 2 on a usage error, with the message on stderr only', async () => {
    const r = await run(['activity', '--limit', 'many', 'x']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/--limit must be an integer/);
  });

  it('exits 3 when the gateway is unreachable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const r = await run(['integrity'], { XINLIAN_API_KEY: 'k'.repeat(40), XINLIAN_GATEWAY_URL: `http://127.0.0.1:${port}` });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/xinlian integrity: cannot reach the gateway .*ECONNREFUSED/);
  });
});
