import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProgressSnapshot } from '../ffmpeg/progress-parser';
import { backoffDelay, ENCODER_BACKOFF } from '../process/backoff';
import type { ManagedProcess } from '../process/managed-process';
import { DestinationForwarder, DestinationTarget, ForwarderDeps } from './destination-forwarder';

/**
 * States of a stream on this relay:
 *   starting → running       (the encoder produces frames)
 *   starting → stopping, running → stopping   (publisher left, or the API stopped the stream)
 *   running  → starting      (the encoder died; restarted with backoff)
 *   stopping → stopped
 */
export type PipelineState = 'starting' | 'running' | 'stopping' | 'stopped';

const TRANSITIONS: Record<PipelineState, readonly PipelineState[]> = {
  starting: ['running', 'stopping'],
  running: ['starting', 'stopping'],
  stopping: ['stopped'],
  stopped: [],
};

export interface StreamIdentity {
  streamId: string;
  userSegment: string;
  /** The API's userId; learned from publish-auth. */
  userId: string;
}

export interface EncoderStats {
  fps: number | null;
  bitrateKbps: number | null;
  droppedFrames: number;
  duplicatedFrames: number;
  /** How far the encoder's output time trails the time since it started. */
  lagSeconds: number | null;
}

export interface PipelineDeps {
  createEncoder(stream: StreamIdentity, onProgress: (snapshot: ProgressSnapshot) => void, onExit: () => void): ManagedProcess;
  forwarderDeps(stream: StreamIdentity): Omit<ForwarderDeps, 'onChange' | 'onReconnect'> & Pick<ForwarderDeps, 'onReconnect'>;
  hlsDir(stream: StreamIdentity): string;
  onChange(pipeline: StreamPipeline): void;
  onHlsReady(pipeline: StreamPipeline): void;
  onEncoderRestart(pipeline: StreamPipeline): void;
  now(): number;
  graceMs: number;
}

/** One stream on this relay: one encoder (HLS + the clean local stream), one forwarder per destination. */
export class StreamPipeline {
  private current: PipelineState = 'starting';
  private encoder: ManagedProcess | null = null;
  private encoderStartedAt = 0;
  /** The encoder's output position; forwarders compare theirs with it to tell a stall from a pause. */
  private encoderOutTimeMs: number | null = null;
  private encoderAttempt = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private hlsTimer: NodeJS.Timeout | null = null;
  private hlsReported = false;
  private readonly forwarders = new Map<string, DestinationForwarder>();
  private stopping: Promise<void> | null = null;
  destinationsVersion = -1;
  readonly startedAt: number;
  stats: EncoderStats = { fps: null, bitrateKbps: null, droppedFrames: 0, duplicatedFrames: 0, lagSeconds: null };

  constructor(
    readonly stream: StreamIdentity,
    private readonly deps: PipelineDeps,
  ) {
    this.startedAt = deps.now();
  }

  get state(): PipelineState {
    return this.current;
  }

  destinationStatuses(): { id: string; status: 'starting' | 'broadcasting' | 'errored' | 'stopped'; error?: string }[] {
    return [...this.forwarders.values()].map((forwarder) => forwarder.status);
  }

  start(): void {
    this.launchEncoder();
    this.hlsTimer = setInterval(() => this.checkHls(), 200);
  }

  /** Starts forwarders for new destinations and stops those that went away. */
  async setDestinations(targets: readonly DestinationTarget[], version: number): Promise<void> {
    if (this.current === 'stopping' || this.current === 'stopped') return;
    this.destinationsVersion = version;
    const wanted = new Map(targets.map((target) => [target.id, target]));
    const stopping: Promise<void>[] = [];
    for (const [id, forwarder] of this.forwarders) {
      const target = wanted.get(id);
      if (!target || target.url !== forwarder.target.url) {
        this.forwarders.delete(id);
        stopping.push(forwarder.stop());
      }
    }
    for (const target of targets) {
      if (this.forwarders.has(target.id)) continue;
      const forwarder = new DestinationForwarder(target, {
        ...this.deps.forwarderDeps(this.stream),
        onChange: () => this.deps.onChange(this),
        sourceOutTimeMs: () => this.encoderOutTimeMs,
      });
      this.forwarders.set(target.id, forwarder);
      forwarder.start();
    }
    await Promise.all(stopping);
    this.deps.onChange(this);
  }

  /** Idempotent: every caller gets the same stop, finished when all processes have ended. */
  stop(): Promise<void> {
    this.stopping ??= this.stopNow();
    return this.stopping;
  }

  private async stopNow(): Promise<void> {
    this.move('stopping');
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.hlsTimer) clearInterval(this.hlsTimer);
    const encoder = this.encoder;
    this.encoder = null;
    await Promise.all([...[...this.forwarders.values()].map((forwarder) => forwarder.stop()), encoder?.stop(this.deps.graceMs)]);
    this.forwarders.clear();
    this.move('stopped');
    this.deps.onChange(this);
  }

  private launchEncoder(): void {
    this.encoderAttempt++;
    this.encoderStartedAt = this.deps.now();
    this.encoderOutTimeMs = null;
    const encoder = this.deps.createEncoder(
      this.stream,
      (snapshot) => this.onProgress(snapshot),
      () => this.onEncoderExit(encoder),
    );
    this.encoder = encoder;
    encoder.start();
  }

  private onProgress(snapshot: ProgressSnapshot): void {
    const elapsedMs = this.deps.now() - this.encoderStartedAt;
    if (snapshot.outTimeMs !== null) this.encoderOutTimeMs = snapshot.outTimeMs;
    this.stats = {
      fps: snapshot.fps,
      bitrateKbps: snapshot.bitrateKbps,
      droppedFrames: snapshot.dropFrames ?? this.stats.droppedFrames,
      duplicatedFrames: snapshot.dupFrames ?? this.stats.duplicatedFrames,
      lagSeconds: snapshot.outTimeMs === null ? null : Math.max(0, (elapsedMs - snapshot.outTimeMs) / 1000),
    };
    if (this.current === 'starting' && (snapshot.frame ?? 0) > 0) {
      this.encoderAttempt = 0;
      this.move('running');
      this.deps.onChange(this);
    }
  }

  private onEncoderExit(encoder: ManagedProcess): void {
    if (encoder !== this.encoder || this.current === 'stopping' || this.current === 'stopped') return;
    this.encoder = null;
    if (this.current === 'running') this.move('starting');
    this.deps.onEncoderRestart(this);
    this.deps.onChange(this);
    this.restartTimer = setTimeout(
      () => {
        this.restartTimer = null;
        if (this.current === 'starting') this.launchEncoder();
      },
      backoffDelay(this.encoderAttempt, ENCODER_BACKOFF),
    );
  }

  /** hls-ready means a player can start: the playlist names at least one finished segment. */
  private checkHls(): void {
    if (this.hlsReported) return;
    const playlist = path.join(this.deps.hlsDir(this.stream), 'index.m3u8');
    if (!existsSync(playlist)) return;
    if (!/\.ts\s*$/m.test(readFileSync(playlist, 'utf8'))) return;
    this.hlsReported = true;
    if (this.hlsTimer) clearInterval(this.hlsTimer);
    this.deps.onHlsReady(this);
  }

  private move(next: PipelineState): void {
    if (!TRANSITIONS[this.current].includes(next)) throw new Error(`StreamPipeline: ${this.current} → ${next} is not allowed`);
    this.current = next;
  }
}
