/** HTTP load from a separate process (autocannon in ./load-worker.js). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadSpec {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly connections: number;
  readonly durationSeconds: number;
  /** Requests per second across all connections (default: as fast as possible). */
  readonly overallRate?: number;
}

export interface LoadSummary {
  /** Completed requests per second. */
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly completed: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

const WORKER = fileURLToPath(new URL('./load-worker.js', import.meta.url));

/**
 * Runs one load in a child process and returns its summary.
 * @throws Error when the worker fails, or when any response was not 2xx or failed
 *   (a benchmark of errors would measure the wrong thing).
 */
export function runLoad(spec: LoadSpec): Promise<LoadSummary> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`load worker exited with ${String(code)}: ${err.trim()}`));
      try {
        const summary = JSON.parse(out.trim().split('\n').at(-1) ?? '') as LoadSummary;
        if (summary.non2xx > 0 || summary.errors > 0) {
          return reject(new Error(`load on ${spec.url}: ${summary.non2xx} non-2xx responses, ${summary.errors} errors of ${summary.completed}`));
        }
        resolve(summary);
      } catch (e) {
        reject(new Error(`load worker printed no summary: ${out.slice(0, 200)} ${err.slice(0, 200)}`, { cause: e }));
      }
    });
  });
}
