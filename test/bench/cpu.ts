// CPU time of a process, to tell whether a measurement saturated the server (about 100 % of one core:
// the server is the bottleneck) or not (the load generator or the disk is), and how much of it the
// kernel spent (socket writes on loopback include the TCP work for the receiving side).
import { readFile } from 'node:fs/promises';

export interface CpuTime {
  userSeconds: number;
  systemSeconds: number;
}

/** Percent of one core over an interval. */
export interface CpuPercent {
  total: number;
  system: number;
}

/** CPU seconds of `pid` so far, from /proc (Linux); undefined where that is unavailable. */
export async function cpuTime(pid: number): Promise<CpuTime | undefined> {
  if (pid === process.pid) {
    const usage = process.cpuUsage();
    return { userSeconds: usage.user / 1e6, systemSeconds: usage.system / 1e6 };
  }
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the parenthesized command name (which may contain spaces); utime and stime are
  // fields 14 and 15 of the whole line, in clock ticks (USER_HZ, 100 on Linux).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { userSeconds: Number(fields[11]) / 100, systemSeconds: Number(fields[12]) / 100 };
}

/** Runs `work` and reports the percentage of one core that each of `pids` used meanwhile. */
export async function withCpuPercent<T>(
  pids: readonly number[],
  work: () => Promise<T>,
): Promise<{ result: T; cpuPercent: (CpuPercent | undefined)[] }> {
  const before = await Promise.all(pids.map(cpuTime));
  const started = performance.now();
  const result = await work();
  const elapsed = (performance.now() - started) / 1000;
  const after = await Promise.all(pids.map(cpuTime));
  const cpuPercent = pids.map((_, i): CpuPercent | undefined => {
    const b = before[i];
    const a = after[i];
    if (b === undefined || a === undefined) return undefined;
    const system = a.systemSeconds - b.systemSeconds;
    const total = a.userSeconds - b.userSeconds + system;
    return { total: (total / elapsed) * 100, system: (system / elapsed) * 100 };
  });
  return { result, cpuPercent };
}
