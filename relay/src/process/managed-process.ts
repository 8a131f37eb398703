import { ChildProcess, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';

/**
 * States of one child process, and the only moves between them:
 *   idle     → starting                 (start)
 *   starting → running | exited         (spawned, or could not spawn)
 *   running  → stopping | exited        (stop, or it died)
 *   stopping → exited                   (it ended: SIGINT, then SIGTERM, then SIGKILL)
 * A process object is used once; a restart is a new object.
 */
export type ProcessState = 'idle' | 'starting' | 'running' | 'stopping' | 'exited';

const TRANSITIONS: Record<ProcessState, readonly ProcessState[]> = {
  idle: ['starting'],
  starting: ['running', 'exited'],
  running: ['stopping', 'exited'],
  stopping: ['exited'],
  exited: [],
};

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when we asked it to stop. */
  requested: boolean;
  stderrTail: string[];
}

export interface ManagedProcessOptions {
  command: string;
  args: readonly string[];
  /** Written while the process lives, so an agent restarted after a crash can find orphans. */
  pidFile?: string;
  /** Text on stdout (e.g. FFmpeg's -progress pipe:1). */
  onStdout?: (chunk: string) => void;
  /** Bytes on stdout (e.g. media); takes the place of onStdout. */
  onStdoutBytes?: (chunk: Buffer) => void;
  /** Text on file descriptor 3 (e.g. FFmpeg's -progress pipe:3 when stdout carries media). */
  onFd3?: (chunk: string) => void;
  /** Each complete line of stderr, as it comes. */
  onStderrLine?: (line: string) => void;
  /** Give the process a stdin pipe to write to (else /dev/null). */
  stdin?: boolean;
  onExit?: (exit: ProcessExit) => void;
  stderrLines?: number;
}

export class ManagedProcess {
  private current: ProcessState = 'idle';
  private child: ChildProcess | null = null;
  private readonly stderr: string[] = [];
  private partialStderr = '';
  private stopRequested = false;
  private readonly exited: Promise<ProcessExit>;
  private resolveExit!: (exit: ProcessExit) => void;

  constructor(private readonly options: ManagedProcessOptions) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  get state(): ProcessState {
    return this.current;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  stderrTail(): string[] {
    return [...this.stderr, ...(this.partialStderr ? [this.partialStderr] : [])];
  }

  start(): void {
    this.move('starting');
    const stdio: ('ignore' | 'pipe')[] = [this.options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'];
    if (this.options.onFd3) stdio.push('pipe');
    const child = spawn(this.options.command, [...this.options.args], { stdio });
    this.child = child;
    // A closed pipe shows up as the process's exit; its EPIPE must not crash the agent.
    child.stdin?.on('error', () => undefined);
    if (this.options.onStdoutBytes) {
      const onBytes = this.options.onStdoutBytes;
      child.stdout?.on('data', (chunk: Buffer) => onBytes(chunk));
    } else {
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => this.options.onStdout?.(chunk));
    }
    const fd3 = child.stdio[3];
    if (this.options.onFd3 && fd3 && 'setEncoding' in fd3) {
      const onFd3 = this.options.onFd3;
      fd3.setEncoding('utf8');
      fd3.on('data', (chunk: string) => onFd3(chunk));
    }
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => this.keepStderr(chunk));
    child.once('spawn', () => {
      if (this.current !== 'starting') return;
      this.move('running');
      if (this.options.pidFile && child.pid) writeFileSync(this.options.pidFile, String(child.pid));
    });
    child.once('error', (error) => {
      this.keepStderr(`${error.message}\n`);
      if (this.current === 'starting') this.finish(null, null);
    });
    child.once('exit', (code, signal) => this.finish(code, signal));
  }

  /**
   * SIGINT lets FFmpeg finish its files. A process blocked in a read or write only notes the first
   * signal; a second one (TERM, within a second) interrupts the I/O; KILL ends the grace period.
   */
  async stop(graceMs: number): Promise<ProcessExit> {
    if (this.current === 'idle') {
      this.current = 'exited';
      this.resolveExit({ code: null, signal: null, requested: true, stderrTail: [] });
    }
    if (this.current === 'starting' || this.current === 'running') {
      this.stopRequested = true;
      this.move('stopping');
      this.signal('SIGINT');
      const term = setTimeout(() => this.signal('SIGTERM'), Math.min(1000, Math.floor(graceMs / 2)));
      const kill = setTimeout(() => this.signal('SIGKILL'), graceMs);
      void this.exited.finally(() => {
        clearTimeout(term);
        clearTimeout(kill);
      });
    }
    return this.exited;
  }

  /** For a process that must go now (stalled, or the agent is shutting down hard). */
  kill(): void {
    this.stopRequested = true;
    this.signal('SIGKILL');
  }

  /** Writes to the process's stdin; false when the pipe is full (wait for `onDrain`) or gone. */
  write(data: Buffer): boolean {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed || !stdin.writable) return false;
    return stdin.write(data);
  }

  get stdinBacklog(): number {
    return this.child?.stdin?.writableLength ?? 0;
  }

  /** Closes stdin: an FFmpeg reading it finishes its outputs and exits. */
  endInput(): void {
    this.child?.stdin?.end();
  }

  waitForExit(): Promise<ProcessExit> {
    return this.exited;
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  private finish(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.current === 'exited') return;
    this.current = 'exited';
    if (this.options.pidFile) rmSync(this.options.pidFile, { force: true });
    const exit = { code, signal, requested: this.stopRequested, stderrTail: this.stderrTail() };
    this.resolveExit(exit);
    this.options.onExit?.(exit);
  }

  private move(next: ProcessState): void {
    if (!TRANSITIONS[this.current].includes(next)) {
      throw new Error(`ManagedProcess: ${this.current} → ${next} is not allowed`);
    }
    this.current = next;
  }

  private keepStderr(chunk: string): void {
    const lines = (this.partialStderr + chunk).split(/\r?\n|\r/);
    this.partialStderr = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim().length === 0) continue;
      this.options.onStderrLine?.(line);
      this.stderr.push(line);
      if (this.stderr.length > (this.options.stderrLines ?? 20)) this.stderr.shift();
    }
  }
}
