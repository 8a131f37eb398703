import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';

/**
 * The only place the test kit spawns processes (FFmpeg, ffprobe, nginx). Every child is tracked so a
 * test's afterAll (or a CLI's signal handler) can stop whatever is left: an FFmpeg reading from
 * nginx-rtmp never exits on its own when the publisher leaves.
 */

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunResult extends ExitInfo {
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface ManagedProcess {
  readonly pid: number;
  readonly stdin: Writable;
  readonly exited: Promise<ExitInfo>;
  isRunning(): boolean;
  /** Last few KB of stderr, for error messages. */
  stderrTail(): string;
  /** SIGINT, then SIGKILL after `graceMs`. Resolves once the process is gone. */
  stop(graceMs?: number): Promise<ExitInfo>;
  /** SIGKILL at once: no chance to say goodbye on its sockets. */
  kill(): void;
}

const STDERR_TAIL_BYTES = 8192;
const live = new Set<ManagedProcess>();

export function startProcess(command: string, args: readonly string[], options: { cwd?: string } = {}): ManagedProcess {
  const child = spawn(command, [...args], { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let running = true;
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
  });
  child.stdout?.resume(); // never let an unread stdout pipe block the child
  child.stdin?.on('error', () => undefined); // EPIPE when the child exits first; the exit code tells the story
  const exited = new Promise<ExitInfo>((resolve, reject) => {
    child.once('error', (error) => {
      running = false;
      reject(new Error(`${command} failed to start: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
  });
  exited.catch(() => undefined).finally(() => live.delete(managed));
  const managed: ManagedProcess = {
    pid: child.pid ?? -1,
    stdin: requireStream(child),
    exited,
    isRunning: () => running,
    stderrTail: () => stderr,
    stop: (graceMs = 3000) => stopChild(child, exited, () => running, graceMs),
    kill: () => {
      if (running) child.kill('SIGKILL');
    },
  };
  live.add(managed);
  return managed;
}

/** Runs to completion, collecting stdout; kills the child (SIGKILL) if it outlives `timeoutMs`. */
export async function runProcess(command: string, args: readonly string[], timeoutMs: number): Promise<RunResult> {
  const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  let stderr = '';
  let timedOut = false;
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
  });
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  try {
    const exit = await new Promise<ExitInfo>((resolve, reject) => {
      child.once('error', (error) => reject(new Error(`${command} failed to start: ${error.message}`)));
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    return { ...exit, stdout: Buffer.concat(stdout).toString('utf8'), stderr, timedOut };
  } finally {
    clearTimeout(timer);
  }
}

/** Safety net for afterAll hooks and signal handlers. */
export async function stopAllProcesses(graceMs = 2000): Promise<void> {
  await Promise.all([...live].map((p) => p.stop(graceMs).catch(() => undefined)));
}

export function runningProcessCount(): number {
  return live.size;
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<ExitInfo>,
  isRunning: () => boolean,
  graceMs: number,
): Promise<ExitInfo> {
  if (isRunning()) child.kill('SIGINT');
  const timer = setTimeout(() => {
    if (isRunning()) child.kill('SIGKILL');
  }, graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

function requireStream(child: ChildProcess): Writable {
  if (!child.stdin) throw new Error('child has no stdin pipe');
  return child.stdin;
}
