// Child processes and temp directories of one bench run, released however the run ends.
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from './children.js';

export class Leftovers {
  private readonly children = new Set<ChildProcess>();
  private readonly dirs = new Set<string>();

  addChild(child: ChildProcess): void {
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
  }

  async tempDir(purpose: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), `image-apiserver-bench-${purpose}-`));
    this.dirs.add(dir);
    return dir;
  }

  async stop(child: ChildProcess): Promise<void> {
    await stopChild(child);
    this.children.delete(child);
  }

  async removeDir(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
    this.dirs.delete(dir);
  }

  /** Stops children before removing directories: a server's LevelDB lives in one of them. */
  async release(): Promise<void> {
    await Promise.all([...this.children].map((child) => this.stop(child)));
    await Promise.all([...this.dirs].map((dir) => this.removeDir(dir)));
  }

  /** For process 'exit', where nothing asynchronous runs any more. */
  releaseNow(): void {
    for (const child of this.children) child.kill('SIGKILL');
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}
