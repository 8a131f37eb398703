import { backoffDelay, DESTINATION_BACKOFF } from '../process/backoff';
import type { ManagedProcess } from '../process/managed-process';
import type { ProgressSnapshot } from '../ffmpeg/progress-parser';
import { redactDestination, summariseFailure } from './redact';

export type DestinationState = 'starting' | 'broadcasting' | 'errored' | 'stopped';

export interface DestinationTarget {
  id: string;
  name: string;
  /** Full URL with the key; never logged or reported. */
  url: string;
}

export interface ForwarderDeps {
  /** Creates (not starts) the FFmpeg that copies the clean stream to one destination. */
  createProcess(target: DestinationTarget, onProgress: (snapshot: ProgressSnapshot) => void, onExit: () => void): ManagedProcess;
  onChange(forwarder: DestinationForwarder): void;
  onReconnect(forwarder: DestinationForwarder): void;
  now(): number;
  random?: () => number;
  graceMs: number;
  /**
   * How far the encoder's output has got (ms), if known. When the glasses pause, the encoder
   * pauses and so does every forwarder: that is no stall. Only a forwarder falling behind is.
   */
  sourceOutTimeMs?: () => number | null;
}

/** No progress for this long while broadcasting means the destination stopped reading. */
export const STALL_MS = 4000;
/** A forwarder that has sent nothing this long after starting is given up and retried. */
export const START_TIMEOUT_MS = 10_000;

/**
 * Keeps one destination fed, on its own: it fails, stalls and retries (capped, jittered backoff)
 * without touching the encoder or the other destinations.
 */
export class DestinationForwarder {
  private state: DestinationState = 'stopped';
  private lastError: string | null = null;
  /** Why we are killing the current process, when it is our decision (a stall). */
  private killReason: string | null = null;
  private process: ManagedProcess | null = null;
  private wanted = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private lastAdvanceAt = 0;
  private lastOutTimeMs = -1;
  /** Smallest (encoder position − our position) seen: how far behind we are when keeping up. */
  private sourceOffsetMs: number | null = null;

  constructor(
    readonly target: DestinationTarget,
    private readonly deps: ForwarderDeps,
  ) {}

  get status(): { id: string; status: DestinationState; error?: string } {
    return {
      id: this.target.id,
      status: this.state,
      ...(this.state === 'errored' && this.lastError ? { error: this.lastError } : {}),
    };
  }

  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.launch();
    this.watchdog = setInterval(() => this.checkProgress(), 500);
  }

  async stop(): Promise<void> {
    this.wanted = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.retryTimer = null;
    this.watchdog = null;
    const running = this.process;
    this.process = null;
    if (running) await running.stop(this.deps.graceMs);
    this.set('stopped');
  }

  private launch(): void {
    if (!this.wanted) return;
    this.attempt++;
    this.startedAt = this.deps.now();
    this.lastAdvanceAt = this.startedAt;
    this.lastOutTimeMs = -1;
    this.sourceOffsetMs = null;
    this.killReason = null;
    const process = this.deps.createProcess(
      this.target,
      (snapshot) => this.onProgress(snapshot),
      () => this.onExit(process),
    );
    this.process = process;
    this.set('starting');
    process.start();
  }

  private onProgress(snapshot: ProgressSnapshot): void {
    if (snapshot.outTimeMs === null || snapshot.outTimeMs <= this.lastOutTimeMs) return;
    this.lastOutTimeMs = snapshot.outTimeMs;
    this.lastAdvanceAt = this.deps.now();
    const source = this.deps.sourceOutTimeMs?.() ?? null;
    if (source !== null) {
      const offset = source - snapshot.outTimeMs;
      this.sourceOffsetMs = this.sourceOffsetMs === null ? offset : Math.min(this.sourceOffsetMs, offset);
    }
    if (this.state !== 'broadcasting' && snapshot.outTimeMs > 0) {
      this.attempt = 0;
      this.set('broadcasting');
    }
  }

  private checkProgress(): void {
    if (!this.process || this.process.state !== 'running') return;
    const now = this.deps.now();
    if (this.state === 'broadcasting' && now - this.lastAdvanceAt > STALL_MS && this.fallingBehind()) {
      this.fail('the destination stopped accepting data (stalled)');
    } else if (this.state === 'starting' && now - this.startedAt > START_TIMEOUT_MS) {
      this.fail(`nothing reached the destination within ${START_TIMEOUT_MS / 1000} s`);
    }
  }

  /** Without the encoder's position, silence is taken as a stall. */
  private fallingBehind(): boolean {
    const source = this.deps.sourceOutTimeMs?.() ?? null;
    if (source === null || this.sourceOffsetMs === null) return true;
    return source - this.sourceOffsetMs - this.lastOutTimeMs > STALL_MS;
  }

  /** A stalled FFmpeg is stuck in a write: kill it, and its exit schedules the retry. */
  private fail(reason: string): void {
    this.killReason = reason;
    this.process?.kill();
  }

  private onExit(process: ManagedProcess): void {
    if (process !== this.process || !this.wanted) return;
    this.process = null;
    const tail = process.stderrTail().map((line) => redactDestination(line, this.target.url));
    this.set('errored', this.killReason ?? summariseFailure(tail, 'the connection ended'));
    this.deps.onReconnect(this);
    const delay = backoffDelay(this.attempt, DESTINATION_BACKOFF, this.deps.random);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.launch();
    }, delay);
  }

  private set(state: DestinationState, error: string | null = null): void {
    const changed = state !== this.state || (state === 'errored' && error !== this.lastError);
    this.state = state;
    if (state === 'errored') this.lastError = error;
    if (changed) this.deps.onChange(this);
  }
}
