import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** The pid recorded in `file` when that process is still alive and is `binary` (pids get reused). */
export function livePidFrom(file: string, binary: string): number | null {
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !commandOf(pid).includes(binary)) return null;
  return pid;
}

/**
 * FFmpeg processes a previous agent left behind (it was killed before it could stop them): they
 * hold memory and destination connections but nobody reads their progress. Kill them; the agent
 * starts fresh ones for the streams that should run.
 */
export function killOrphans(runDir: string, binary: string): number[] {
  if (!existsSync(runDir)) return [];
  const killed: number[] = [];
  for (const name of readdirSync(runDir).filter((file) => file.endsWith('.pid'))) {
    const file = path.join(runDir, name);
    const pid = livePidFrom(file, binary);
    if (pid !== null) {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    }
    rmSync(file, { force: true });
  }
  return killed;
}
