import { readFileSync } from 'node:fs';

/**
 * CPU and memory of processes, read from /proc: CPU as percent of one core since the last reading of
 * the same process, memory as PSS (shared libraries divided among the processes mapping them, so
 * FFmpeg's libraries are not counted once per stream). Linux only; elsewhere every reading is null.
 */
export class ProcessUsage {
  private readonly last = new Map<number, { ticks: number; at: number }>();

  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly ticksPerSecond = 100,
  ) {}

  /** Percent of one core since the previous call for this pid (null on the first, or when it is gone). */
  cpuPercent(pid: number): number | null {
    const ticks = readCpuTicks(pid);
    if (ticks === null) {
      this.last.delete(pid);
      return null;
    }
    const at = this.now();
    const previous = this.last.get(pid);
    this.last.set(pid, { ticks, at });
    if (!previous || at <= previous.at) return null;
    return ((ticks - previous.ticks) / this.ticksPerSecond / ((at - previous.at) / 1000)) * 100;
  }

  /** Forgets processes not in `alive` (exited ones). */
  retain(alive: Iterable<number>): void {
    const keep = new Set(alive);
    for (const pid of this.last.keys()) if (!keep.has(pid)) this.last.delete(pid);
  }

  memoryMb(pid: number): number | null {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const kb = /^Pss:\s+(\d+) kB/m.exec(rollup);
      return kb ? Number(kb[1]) / 1024 : null;
    } catch {
      return null;
    }
  }
}

/** utime + stime of /proc/<pid>/stat (fields 14 and 15, counted after the command name's closing parenthesis). */
export function parseCpuTicks(stat: string): number | null {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? utime + stime : null;
}

function readCpuTicks(pid: number): number | null {
  try {
    return parseCpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}
