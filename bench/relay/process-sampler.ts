// CPU and memory of a changing set of processes, read from /proc (Linux).
//
// CPU: utime + stime (clock ticks) from /proc/<pid>/stat, as deltas over a measurement window,
// summed per label. A process that starts during the window counts from 0 (it was born in it);
// one that exits loses at most one sampling interval. Memory: VmRSS from /proc/<pid>/status,
// peak per process and peak of the sum of all processes sampled at the same instant.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

export interface ProcSample {
  /** user + system CPU time in ms. */
  cpuMs: number;
  rssKb: number;
  /** Proportional set size: shared pages (FFmpeg's libraries) divided among the processes mapping them. */
  pssKb: number;
}

/**
 * One reading, or null when the process is gone (or a zombie, whose memory is already released).
 * PSS only when asked (pssKb 0 otherwise): the kernel walks the whole address space to produce it.
 */
export function readProc(pid: number, withPss = false): ProcSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return null;
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
    const pss = withPss ? /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')) : null;
    return { cpuMs: (ticks * 1000) / CLOCK_TICKS, rssKb: rss ? Number(rss[1]) : 0, pssKb: pss ? Number(pss[1]) : 0 };
  } catch {
    return null;
  }
}

export interface ProcessFigures {
  label: string;
  pid: number;
  cpuPercent: number;
  peakRssMb: number;
  peakPssMb: number;
}

export interface GroupFigures {
  /** Percent of one core over the window, all processes summed. */
  cpuPercent: number;
  /** Peak of the sum of the processes' RSS sampled together. */
  peakRssSumMb: number;
  peakPssSumMb: number;
  /** The same peaks inside the window only (e.g. a clean stream once copied, without the encode that judged it). */
  windowPeakRssSumMb: number;
  windowPeakPssSumMb: number;
  processes: ProcessFigures[];
}

interface Tracked {
  label: string;
  pid: number;
  baselineCpuMs: number | null;
  lastCpuMs: number;
  peakRssKb: number;
  peakPssKb: number;
}

/**
 * Samples the processes `discover()` names (pid -> label) every `intervalMs`. Call `startWindow()`
 * when the steady state begins and `stopWindow()` at its end; memory peaks cover the whole life.
 */
export class ProcessSampler {
  private readonly tracked = new Map<number, Tracked>();
  private timer: NodeJS.Timeout | null = null;
  private windowStart: number | null = null;
  private windowEnd: number | null = null;
  private peakSumKb = 0;
  private peakPssSumKb = 0;
  private windowPeakSumKb = 0;
  private windowPeakPssSumKb = 0;
  private samples = 0;

  constructor(
    private readonly discover: () => Map<number, string>,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  startWindow(): void {
    this.sample();
    this.windowStart = performance.now();
    for (const entry of this.tracked.values()) entry.baselineCpuMs = entry.lastCpuMs;
  }

  stopWindow(): void {
    this.sample();
    this.windowEnd = performance.now();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Pids seen so far, for the clean-up check. */
  pids(): number[] {
    return [...this.tracked.keys()];
  }

  figures(): GroupFigures {
    const seconds = this.windowStart !== null && this.windowEnd !== null ? (this.windowEnd - this.windowStart) / 1000 : 0;
    const processes = [...this.tracked.values()]
      .sort((a, b) => a.pid - b.pid)
      .map((entry) => ({
        label: entry.label,
        pid: entry.pid,
        cpuPercent: seconds > 0 && entry.baselineCpuMs !== null ? (entry.lastCpuMs - entry.baselineCpuMs) / 10 / seconds : 0,
        peakRssMb: entry.peakRssKb / 1024,
        peakPssMb: entry.peakPssKb / 1024,
      }));
    return {
      cpuPercent: processes.reduce((sum, p) => sum + p.cpuPercent, 0),
      peakRssSumMb: this.peakSumKb / 1024,
      peakPssSumMb: this.peakPssSumKb / 1024,
      windowPeakRssSumMb: this.windowPeakSumKb / 1024,
      windowPeakPssSumMb: this.windowPeakPssSumKb / 1024,
      processes,
    };
  }

  private sample(): void {
    const inWindow = this.windowStart !== null && this.windowEnd === null;
    if (this.windowEnd !== null) return;
    let sumKb = 0;
    let pssSumKb = 0;
    // PSS about once a second: it is the costly reading, and it moves slowly.
    const withPss = this.samples++ % Math.max(1, Math.round(1000 / this.intervalMs)) === 0;
    for (const [pid, label] of this.discover()) {
      const reading = readProc(pid, withPss);
      if (!reading) continue;
      let entry = this.tracked.get(pid);
      if (!entry) {
        // Born inside the window: all of its CPU time was spent in it.
        entry = { label, pid, baselineCpuMs: inWindow ? 0 : null, lastCpuMs: reading.cpuMs, peakRssKb: 0, peakPssKb: 0 };
        this.tracked.set(pid, entry);
      }
      entry.lastCpuMs = reading.cpuMs;
      entry.peakRssKb = Math.max(entry.peakRssKb, reading.rssKb);
      entry.peakPssKb = Math.max(entry.peakPssKb, reading.pssKb);
      sumKb += reading.rssKb;
      pssSumKb += reading.pssKb;
    }
    this.peakSumKb = Math.max(this.peakSumKb, sumKb);
    if (withPss) this.peakPssSumKb = Math.max(this.peakPssSumKb, pssSumKb);
    if (inWindow) {
      this.windowPeakSumKb = Math.max(this.windowPeakSumKb, sumKb);
      if (withPss) this.windowPeakPssSumKb = Math.max(this.windowPeakPssSumKb, pssSumKb);
    }
  }
}

/**
 * What the whole machine did during a window, and how much of it was not this run: other agents
 * may be busy on the same machine, which skews every figure here. "This run" is every process of
 * our process group, with the CPU time of the children they already reaped (cutime + cstime).
 */
export class MachineLoad {
  private startedAt = performance.now();
  private machine = readMachine();
  private ours = groupCpuMs(ownProcessGroup());

  reset(): void {
    this.startedAt = performance.now();
    this.machine = readMachine();
    this.ours = groupCpuMs(ownProcessGroup());
  }

  /** busyPercent: all cores (100 = every core busy); othersPercent: processes not of this run, % of one core. */
  sinceReset(): { busyPercent: number; othersPercent: number } {
    const machine = readMachine();
    const ours = groupCpuMs(ownProcessGroup());
    const seconds = (performance.now() - this.startedAt) / 1000;
    const total = machine.total - this.machine.total;
    const busyMs = ((machine.busy - this.machine.busy) * 1000) / CLOCK_TICKS;
    return {
      busyPercent: total > 0 ? ((machine.busy - this.machine.busy) / total) * 100 : 0,
      othersPercent: seconds > 0 ? Math.max(0, busyMs - (ours - this.ours)) / 10 / seconds : 0,
    };
  }
}

function readMachine(): { busy: number; total: number } {
  const values = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = values[3] + (values[4] ?? 0); // idle + iowait
  const total = values.slice(0, 8).reduce((sum, v) => sum + v, 0); // guest time is already in user
  return { busy: total - idle, total };
}

function ownProcessGroup(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

/** user + system time of every process in group `pgrp`, plus what their reaped children used, in ms. */
function groupCpuMs(pgrp: number): number {
  let ticks = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgrp) continue;
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // gone
    }
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

/** CPU of a few fixed processes (named) over a window, % of one core each; a gone process reads 0. */
export class WindowCpu {
  private startedAt = performance.now();
  private baseline = new Map<string, number>();

  constructor(private readonly processes: ReadonlyMap<string, number>) {
    this.reset();
  }

  reset(): void {
    this.startedAt = performance.now();
    this.baseline = new Map([...this.processes].map(([label, pid]) => [label, cpuMsOf(pid)]));
  }

  percents(): { label: string; percent: number }[] {
    const seconds = (performance.now() - this.startedAt) / 1000;
    return [...this.processes].map(([label, pid]) => ({
      label,
      percent: seconds > 0 ? Math.max(0, cpuMsOf(pid) - (this.baseline.get(label) ?? 0)) / 10 / seconds : 0,
    }));
  }
}

function cpuMsOf(pid: number): number {
  // Our own process: process.cpuUsage() is exact and includes no children.
  if (pid === process.pid) {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  }
  return readProc(pid)?.cpuMs ?? 0;
}
