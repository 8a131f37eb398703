import type { OutputMode, StreamQuality } from '../../protocol/relay-protocol.schemas';
import { buildCopyArgs, buildEncoderArgs } from '../ffmpeg/encoder-args';
import type { VideoEncoderName } from '../ffmpeg/video-encoders';
import type { PictureSize } from '../ffmpeg/output-format';
import { feedProgress, INITIAL_PROGRESS_STATE } from '../ffmpeg/progress-parser';
import { FlvStreamReader } from '../flv/flv-stream-reader';
import { serializeFlvHeader, serializeFlvTag, type FlvTag } from '../flv/flv-tags';
import { backoffDelay, type BackoffPolicy } from '../process/backoff';
import type { ManagedProcess, ManagedProcessOptions } from '../process/managed-process';

export interface EncoderStats {
  /** Output pictures per second, counted over the last seconds of output. */
  fps: number | null;
  bitrateKbps: number | null;
  droppedFrames: number;
  duplicatedFrames: number;
  /** How far the output trails the stream's clock: real lag, since the clock is ours. */
  lagSeconds: number | null;
}

const STATS_WINDOW_MS = 2000;

export type { OutputMode };

export interface EncoderRunnerOptions {
  /** Creates (not starts) the FFmpeg process. */
  createProcess(
    options: Pick<ManagedProcessOptions, 'args' | 'onStdoutBytes' | 'onFd3' | 'onStderrLine' | 'onExit' | 'stdin'>,
  ): ManagedProcess;
  /** Writes what a fresh encoder needs first (through `write`); returns the stream time it starts at. */
  input(): number;
  onOutput(tag: FlvTag): void;
  /** The first output of a (re)started encoder. */
  onRunning(): void;
  onRestart(reason: string): void;
  /** The runner changed mode by itself (a copy that died is replaced by the encode). */
  onModeChange(mode: OutputMode, reason: string): void;
  onStderrLine(line: string): void;
  now(): number;
  /** The stream clock (ms) the output timestamps are on. */
  streamClock(): number;
  graceMs: number;
  /** The H.264 encoder of the cleaning encode (libx264 unless a working hardware one was configured). */
  videoEncoder?: VideoEncoderName;
}

/** An encoder that produced output and then none for this long is stuck (e.g. SIGSTOP): it is replaced. */
export const ENCODER_STALL_MS = 1200;
/** A new encoder that produced nothing for this long is replaced. */
export const ENCODER_START_TIMEOUT_MS = 8000;
/** The first restart is immediate: the destinations are waiting. */
export const ENCODER_RESTART_BACKOFF: BackoffPolicy = { initialMs: 50, maxMs: 5000, jitter: 0.3 };
/** Input kept for an encoder that does not read it (stuck, or not yet started). */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;

/**
 * Desired: one encoder running from `start` until `stop`. Observed: the process, whether it has
 * produced output, and when it last did. Any unrequested exit or stall replaces it (capped jittered
 * backoff), fed again from the output clock so its output carries on where the last one stopped.
 */
export class EncoderRunner {
  private process: ManagedProcess | null = null;
  /** A process being replaced by one of the other mode: its output still counts until it exits. */
  private retiring: ManagedProcess | null = null;
  /**
   * Where its successor's input starts: what the retiring one writes from there on (an encode holding
   * a constant rate to the end of its input) would overlap the successor's first pictures.
   */
  private retiringCutMs: number | null = null;
  /** Started with nothing written yet: the process is launched with the first tag. */
  private awaitingInput = false;
  private wanted: {
    size: PictureSize;
    quality: StreamQuality;
    hlsDir: string;
    mode: OutputMode;
    /** Passthrough only: the sound is in the encode's format already and is copied too. */
    copyAudio: boolean;
  } | null = null;
  private pending: FlvTag[] = [];
  private pendingBytes = 0;
  private attempt = 0;
  private startedAt = 0;
  private lastOutputAt: number | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private killReason: string | null = null;
  /** The output of the last STATS_WINDOW_MS of stream time (timestamps, not arrival: output comes in bursts). */
  private readonly recentOutput: { ts: number; bytes: number; video: boolean }[] = [];
  private lastVideoTs: number | null = null;
  /** The latest picture written: output is owed only for pictures that went in. */
  private lastInputVideoTs: number | null = null;
  private counters = { droppedFrames: 0, duplicatedFrames: 0 };

  constructor(private readonly options: EncoderRunnerOptions) {}

  get stats(): EncoderStats {
    const latest = this.recentOutput.at(-1)?.ts ?? 0;
    while (this.recentOutput.length > 0 && latest - this.recentOutput[0].ts >= STATS_WINDOW_MS) this.recentOutput.shift();
    const seconds = STATS_WINDOW_MS / 1000;
    const producing =
      this.lastOutputAt !== null && this.recentOutput.length > 0 && this.options.now() - this.lastOutputAt < STATS_WINDOW_MS;
    return {
      fps: producing ? Math.round((this.recentOutput.filter((o) => o.video).length / seconds) * 10) / 10 : null,
      bitrateKbps: producing ? Math.round((this.recentOutput.reduce((sum, o) => sum + o.bytes, 0) * 8) / 1000 / seconds) : null,
      ...this.counters,
      lagSeconds: this.lastVideoTs === null ? null : Math.max(0, (this.options.streamClock() - this.lastVideoTs) / 1000),
    };
  }

  get running(): boolean {
    return this.process !== null && this.lastOutputAt !== null;
  }

  get mode(): OutputMode {
    return this.wanted?.mode ?? 'encode';
  }

  get copiesAudio(): boolean {
    return this.wanted?.mode === 'passthrough' && this.wanted.copyAudio;
  }

  /** The processes working for this stream now (a retiring one included). */
  get pids(): number[] {
    return [this.process?.pid, this.retiring?.pid].filter((pid): pid is number => pid !== undefined);
  }

  start(size: PictureSize, quality: StreamQuality, hlsDir: string): void {
    if (this.wanted) return;
    this.wanted = { size, quality, hlsDir, mode: 'encode', copyAudio: false };
    this.watchdog = setInterval(() => this.checkProgress(), 250);
    // Its output is put on the stream's clock from the first tag it reads: wait for that tag.
    if (this.pending.length > 0) this.launch(false);
    else this.awaitingInput = true;
  }

  /** One tag of the output clock's stream; kept until an encoder reads it. */
  write(tag: FlvTag): void {
    if (tag.kind === 'video') this.lastInputVideoTs = tag.timestampMs;
    if (this.retiring && this.retiringCutMs === null) this.retiringCutMs = tag.timestampMs;
    if (this.process) {
      // A stuck encoder is replaced by the watchdog; until then its input is not worth keeping.
      if (this.process.stdinBacklog < MAX_PENDING_BYTES) this.process.write(serializeFlvTag(tag));
      return;
    }
    if (this.pendingBytes + tag.data.length > MAX_PENDING_BYTES) return;
    this.pending.push(tag);
    this.pendingBytes += tag.data.length;
    if (this.awaitingInput) {
      this.awaitingInput = false;
      this.launch(false);
    }
  }

  /**
   * Replaces the running process by one of `mode`. The current one gets no more input and finishes
   * what it has (its output still goes out), then the new one starts: `primed` with the pictures
   * since the last keyframe (an encode can start mid-GOP), or with what is written from now on, which
   * must start with the codec configurations and a keyframe (a copy cannot).
   */
  switchMode(mode: OutputMode, primed: boolean, copyAudio = false): void {
    if (!this.wanted || this.wanted.mode === mode) return;
    this.wanted = { ...this.wanted, mode, copyAudio };
    this.attempt = 0; // a switch is no failure: a crash after it restarts at once
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const old = this.process;
    this.process = null;
    this.pending = [];
    this.pendingBytes = 0;
    if (!old) {
      this.launch(primed);
      return;
    }
    this.retiring = old;
    this.retiringCutMs = null;
    void this.finish(old).then(() => {
      if (this.retiring === old) this.retiring = null;
      if (this.wanted?.mode === mode && !this.process) this.launch(primed);
    });
  }

  /** Ends the input: FFmpeg finishes its outputs (the last segment, the last pictures) and exits. */
  async stop(): Promise<void> {
    this.wanted = null;
    this.awaitingInput = false;
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const process = this.process;
    this.process = null;
    const ending = [process, this.retiring].filter((p): p is ManagedProcess => p !== null);
    await Promise.all(ending.map((p) => this.finish(p)));
  }

  private async finish(process: ManagedProcess): Promise<void> {
    process.endInput();
    const exited = await Promise.race([
      process.waitForExit().then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), this.options.graceMs)),
    ]);
    if (!exited) await process.stop(1000);
  }

  private launch(restart: boolean): void {
    if (!this.wanted) return;
    this.attempt++;
    this.killReason = null;
    this.lastOutputAt = null;
    this.startedAt = this.options.now();
    if (restart) {
      // A fresh encoder starts from the clock's present: what the last one did not read is dropped.
      this.pending = [];
      this.pendingBytes = 0;
    }
    // FFmpeg starts its output at the earliest timestamp it reads (sound may be stamped a little before
    // the first picture): the offset must be that one, or every output timestamp moves forwards.
    const startMs = restart ? this.options.input() : Math.min(...this.pending.map((tag) => tag.timestampMs), Infinity);
    const reader = new FlvStreamReader();
    let progress = INITIAL_PROGRESS_STATE;
    const base = { ...this.counters };
    const args =
      this.wanted.mode === 'passthrough'
        ? buildCopyArgs({ hlsDir: this.wanted.hlsDir, startMs: finiteOr0(startMs), copyAudio: this.wanted.copyAudio })
        : buildEncoderArgs({ ...this.wanted, startMs: finiteOr0(startMs), videoEncoder: this.options.videoEncoder });
    const process = this.options.createProcess({
      args,
      stdin: true,
      onStdoutBytes: (chunk) => {
        if (process !== this.process && process !== this.retiring) return;
        let tags: FlvTag[];
        try {
          tags = reader.push(chunk);
        } catch (error) {
          this.kill(`unreadable encoder output: ${(error as Error).message}`);
          return;
        }
        if (tags.length === 0) return;
        const first = this.lastOutputAt === null;
        this.lastOutputAt = this.options.now();
        if (first) {
          this.attempt = 0;
          this.options.onRunning();
        }
        for (const tag of tags) {
          if (process === this.retiring && this.retiringCutMs !== null && tag.timestampMs >= this.retiringCutMs) continue;
          this.recentOutput.push({
            ts: tag.timestampMs,
            bytes: tag.data.length,
            video: tag.kind === 'video' && tag.data[1] === 1,
          });
          if (tag.kind === 'video') this.lastVideoTs = tag.timestampMs;
          this.options.onOutput(tag);
        }
        if (this.recentOutput.length > 4000) this.recentOutput.splice(0, this.recentOutput.length - 4000);
      },
      onFd3: (chunk) => {
        const fed = feedProgress(progress, chunk);
        progress = fed.state;
        // Counted per encoder process: a replaced encoder's counts are added to the stream's.
        for (const snapshot of fed.snapshots) {
          this.counters = {
            droppedFrames: base.droppedFrames + (snapshot.dropFrames ?? 0),
            duplicatedFrames: base.duplicatedFrames + (snapshot.dupFrames ?? 0),
          };
        }
      },
      onStderrLine: (line) => this.options.onStderrLine(line),
      onExit: (exit) => this.onExit(process, exit.code, exit.signal),
    });
    this.process = process;
    process.start();
    process.write(serializeFlvHeader({ hasAudio: true, hasVideo: true }));
    for (const tag of this.pending) process.write(serializeFlvTag(tag));
    this.pending = [];
    this.pendingBytes = 0;
  }

  private checkProgress(): void {
    if (!this.process) return;
    const now = this.options.now();
    // Silent while no picture comes in (the glasses paused) is no stall; silent while pictures pile up is.
    const owed =
      this.lastInputVideoTs !== null && this.lastVideoTs !== null && this.lastInputVideoTs - this.lastVideoTs > ENCODER_STALL_MS;
    if (this.lastOutputAt !== null && now - this.lastOutputAt > ENCODER_STALL_MS && owed) {
      this.kill(`the encoder stalled (no output for ${ENCODER_STALL_MS} ms)`);
    } else if (this.lastOutputAt === null && now - this.startedAt > ENCODER_START_TIMEOUT_MS) {
      this.kill(`the encoder produced nothing within ${ENCODER_START_TIMEOUT_MS / 1000} s`);
    }
  }

  private kill(reason: string): void {
    this.killReason ??= reason;
    this.process?.kill();
  }

  private onExit(process: ManagedProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (process !== this.process || !this.wanted) return;
    this.process = null;
    const reason = this.killReason ?? `the encoder exited (${signal ?? `code ${code}`})`;
    this.options.onRestart(reason);
    // A copy cannot start mid-GOP: the encode takes over (the pipeline may switch back later).
    if (this.wanted.mode === 'passthrough') {
      this.wanted = { ...this.wanted, mode: 'encode' };
      this.options.onModeChange('encode', reason);
    }
    this.restartTimer = setTimeout(
      () => {
        this.restartTimer = null;
        this.launch(true);
      },
      backoffDelay(this.attempt, ENCODER_RESTART_BACKOFF),
    );
  }
}

function finiteOr0(ms: number): number {
  return Number.isFinite(ms) ? ms : 0;
}
