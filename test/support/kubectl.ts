// Runs the real kubectl (from PATH) against a test server, with its own cache and no user kubeconfig.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** No kubectl command in the tests needs longer than this. */
const KUBECTL_TIMEOUT_MS = 90_000;

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class Kubectl {
  private readonly cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  constructor(private readonly server: string) {}

  run(args: string[], stdin?: string): Promise<KubectlResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('kubectl', ['--server', this.server, '--cache-dir', this.cacheDir, ...args], {
        env: { ...process.env, KUBECONFIG: '/dev/null', HOME: this.cacheDir },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      // A kubectl that hangs fails its test instead of stalling the whole suite.
      const timer = setTimeout(() => child.kill('SIGKILL'), KUBECTL_TIMEOUT_MS);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr: timer && code === null ? `${stderr}\n(kubectl killed after ${KUBECTL_TIMEOUT_MS} ms)` : stderr });
      });
      child.stdin.end(stdin ?? '');
    });
  }

  /** Starts a long-running kubectl (e.g. `get -w`) and returns it with its growing output. */
  start(args: string[]): { output: () => string; stop: () => void } {
    const child = spawn('kubectl', ['--server', this.server, '--cache-dir', this.cacheDir, ...args], {
      env: { ...process.env, KUBECONFIG: '/dev/null', HOME: this.cacheDir },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    return { output: () => out, stop: () => child.kill() };
  }
}

export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
