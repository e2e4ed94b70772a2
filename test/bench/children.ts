// Servers under load run as child processes on 127.0.0.1, so the load generator (in the bench
// process) never shares an event loop with them: on 2 cores, one for the server, one for autocannon.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

export interface NodeServerSpec {
  /** Script path relative to the project root; `.ts` scripts run through tsx, `.js` ones (the build) directly. */
  script: string;
  args: string[];
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  port: number;
  /** Path answering 200 once the server is ready. */
  readyPath: string;
}

export interface NodeServer {
  child: ChildProcess;
  url: string;
}

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export async function startNodeServer(spec: NodeServerSpec, onSpawn: (child: ChildProcess) => void): Promise<NodeServer> {
  const loader = spec.script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), ...loader, join(PROJECT_ROOT, spec.script), ...spec.args], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  onSpawn(child);
  const url = `http://127.0.0.1:${spec.port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${spec.script} exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    }
    try {
      const res = await fetch(url + spec.readyPath);
      await res.arrayBuffer();
      if (res.ok) return { child, url };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${spec.script} was not ready within ${READY_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** SIGTERM (a clean exit, which --cpu-prof needs to write its profile), then SIGKILL if it hangs. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
