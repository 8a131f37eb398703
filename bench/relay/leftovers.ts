// The clean-up check: no FFmpeg or nginx of this run may outlive it. Other agents may run FFmpeg
// and nginx on the same machine, so a process counts as ours only when it is in our process group
// (children keep it, even when orphaned and adopted by init) and either descends from us or names
// one of this run's markers (its scratch directory, its ports) on its command line.
import { readdirSync, readFileSync } from 'node:fs';

interface ProcInfo {
  pid: number;
  ppid: number;
  pgrp: number;
  command: string;
  cmdline: string;
}

function procInfo(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return null;
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return { pid, ppid: Number(fields[1]), pgrp: Number(fields[2]), command, cmdline };
  } catch {
    return null;
  }
}

/** FFmpeg / nginx processes of this run still alive; each one found is killed (SIGKILL, by pid). */
export function findLeftovers(markers: readonly string[]): { pid: number; command: string }[] {
  const self = procInfo(process.pid);
  if (!self) return [];
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => procInfo(Number(name)))
    .filter((p): p is ProcInfo => p !== null);
  const byPid = new Map(all.map((p) => [p.pid, p]));
  const descendsFromUs = (p: ProcInfo) => {
    for (let at: ProcInfo | undefined = p, hops = 0; at && hops < 64; at = byPid.get(at.ppid), hops++) {
      if (at.ppid === process.pid) return true;
    }
    return false;
  };
  const ours = all.filter(
    (p) =>
      (p.command === 'ffmpeg' || p.command === 'nginx') &&
      p.pgrp === self.pgrp &&
      (descendsFromUs(p) || markers.some((marker) => p.cmdline.includes(marker))),
  );
  for (const p of ours) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone in the meantime
    }
  }
  return ours.map((p) => ({ pid: p.pid, command: p.cmdline.slice(0, 120) }));
}
