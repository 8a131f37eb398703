import type { Logger } from 'pino';
import { ingestHealthSchema, type RelayStreamStatus } from '../../protocol/relay-protocol.schemas';
import { ControlPlaneClient } from '../api/control-plane-client';
import type { RelayMetrics } from '../metrics/relay-metrics';
import type { StreamPipeline } from '../stream/stream-pipeline';
import { availableParallelism } from 'node:os';
import { hlsBaseUrl, type RelayConfig, rtmpBaseUrl } from './relay-config';
import type { Headroom } from './relay-headroom';

export interface ControlPlaneSyncHandlers {
  pipelines(): Iterable<StreamPipeline>;
  /** Measured now: what the streams use and how many more fit. */
  headroom(): Headroom;
  pipeline(streamId: string): StreamPipeline | undefined;
  /** The API wants this stream stopped. */
  onStopWanted(pipeline: StreamPipeline): Promise<void>;
  /** The API's destinations of this stream changed. */
  onDestinationsChanged(pipeline: StreamPipeline): Promise<void>;
  /** After each heartbeat, for the agent's own periodic readings. */
  onHeartbeat(): Promise<void>;
  /** An operator asked the API to drain this relay. */
  onDrainRequested(): void;
}

const INGEST_GRADES = ingestHealthSchema.shape.grade.options;

const STATUS_BY_STATE = {
  starting: 'connecting',
  live: 'active',
  reconnecting: 'reconnecting',
  stopping: 'stopped',
  stopped: 'stopped',
} as const satisfies Record<StreamPipeline['state'], RelayStreamStatus['status']>;

/** The relay's conversation with the API: registration, heartbeats, and what it reports of each stream. */
export class ControlPlaneSync {
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  private reportTimer: NodeJS.Timeout | null = null;
  private readonly pendingReports = new Set<string>();
  private readonly loggedDestinationStates = new Map<string, string>();
  private stopped = false;
  private draining = false;

  constructor(
    readonly api: ControlPlaneClient,
    private readonly config: RelayConfig,
    private readonly log: Logger,
    private readonly metrics: RelayMetrics,
    private readonly handlers: ControlPlaneSyncHandlers,
  ) {}

  async start(): Promise<void> {
    await this.registerUntilAccepted();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.config.RELAY_HEARTBEAT_MS);
    this.statusTimer = setInterval(() => this.reportAll(), this.config.RELAY_STATUS_INTERVAL_MS);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of [this.heartbeatTimer, this.statusTimer]) if (timer) clearInterval(timer);
    if (this.reportTimer) clearTimeout(this.reportTimer);
  }

  /** From now on every heartbeat says `draining`, so the API assigns this relay no new stream. */
  async startDraining(): Promise<void> {
    this.draining = true;
    await this.heartbeat();
  }

  /** Reports soon, batching the changes of the next 100 ms. */
  scheduleReport(streamId: string): void {
    if (this.stopped) return;
    this.pendingReports.add(streamId);
    this.reportTimer ??= setTimeout(() => {
      this.reportTimer = null;
      const ids = [...this.pendingReports];
      this.pendingReports.clear();
      for (const id of ids) {
        const pipeline = this.handlers.pipeline(id);
        if (pipeline) void this.report(pipeline);
      }
    }, 100);
  }

  async report(pipeline: StreamPipeline, reason?: string): Promise<void> {
    // While stopping, say nothing: the final report (with the reason) follows once everything ended.
    if (pipeline.state === 'stopping' || (pipeline.state === 'stopped' && !reason)) return;
    const { streamId, userId } = pipeline.stream;
    const destinations = pipeline.destinationStatuses();
    this.updateMetrics(pipeline, destinations);
    const status = STATUS_BY_STATE[pipeline.state];
    const stats = pipeline.stats;
    try {
      await this.api.streamStatus({
        userId,
        streamId,
        status,
        ...(reason ? { reason } : {}),
        ...(stats.fps !== null ? { fps: stats.fps } : {}),
        ...(stats.bitrateKbps !== null ? { bitrate: stats.bitrateKbps } : {}),
        droppedFrames: stats.droppedFrames,
        outputMode: pipeline.mode,
        outputModeReason: pipeline.modeReason.slice(0, 300),
        ...(pipeline.ingest ? { ingest: pipeline.ingest } : {}),
        durationSeconds: Math.round((Date.now() - pipeline.startedAt) / 1000),
        destinations: status === 'stopped' ? destinations.map((d) => ({ id: d.id, status: 'stopped' as const })) : destinations,
      });
    } catch (error) {
      this.log.warn({ streamId, error: (error as Error).message }, 'status report failed');
    }
  }

  async reportHlsReady(pipeline: StreamPipeline): Promise<void> {
    const { streamId, userId, userSegment } = pipeline.stream;
    try {
      await this.api.hlsReady({
        userId,
        streamId,
        hlsUrl: `${hlsBaseUrl(this.config)}/hls/${userSegment}/${streamId}/index.m3u8`,
      });
    } catch (error) {
      this.log.warn({ streamId, error: (error as Error).message }, 'hls-ready report failed');
    }
  }

  forget(streamId: string): void {
    for (const state of ['starting', 'broadcasting', 'errored', 'stopped']) {
      for (const labels of this.destinationLabels.get(streamId) ?? []) {
        this.metrics.destinationState.remove({ stream: streamId, destination: labels, state });
      }
    }
    this.destinationLabels.delete(streamId);
    for (const gauge of [
      this.metrics.encoderFps,
      this.metrics.encoderBitrate,
      this.metrics.droppedFrames,
      this.metrics.duplicatedFrames,
      this.metrics.encoderLag,
      this.metrics.ingestFps,
      this.metrics.ingestBitrate,
    ]) {
      gauge.remove({ stream: streamId });
    }
    for (const mode of ['encode', 'passthrough']) this.metrics.outputMode.remove({ stream: streamId, mode });
    for (const grade of INGEST_GRADES) this.metrics.ingestGrade.remove({ stream: streamId, grade });
  }

  private readonly destinationLabels = new Map<string, Set<string>>();

  private reportAll(): void {
    for (const pipeline of this.handlers.pipelines()) void this.report(pipeline);
  }

  private async heartbeat(): Promise<void> {
    try {
      const pipelines = [...this.handlers.pipelines()];
      const headroom = this.handlers.headroom();
      this.metrics.capacity.set(this.capacity(headroom));
      this.metrics.cpuPercent.set(headroom.used.cpuPercent);
      const answer = await this.api.heartbeat({
        load: pipelines.length,
        capacity: this.capacity(headroom),
        ...(this.draining ? { state: 'draining' as const } : {}),
        activeStreams: pipelines.map((p) => p.stream.streamId),
        usage: {
          cores: availableParallelism(),
          cpuPercent: Math.round(headroom.used.cpuPercent * 10) / 10,
          memoryMb: Math.round(headroom.used.memoryMb),
          encodeStreams: pipelines.filter((p) => p.mode === 'encode').length,
          passthroughStreams: pipelines.filter((p) => p.mode === 'passthrough').length,
          freeStreams: headroom.freeStreams,
        },
      });
      if (answer.state === 'draining' && !this.draining) this.handlers.onDrainRequested();
      for (const stream of answer.streams) {
        const pipeline = this.handlers.pipeline(stream.streamId);
        if (!pipeline) continue;
        if (stream.desired === 'stop') await this.handlers.onStopWanted(pipeline);
        else if (stream.destinationsVersion !== pipeline.destinationsVersion) await this.handlers.onDestinationsChanged(pipeline);
      }
      await this.handlers.onHeartbeat();
    } catch (error) {
      this.log.warn({ error: (error as Error).message }, 'heartbeat failed');
      if ((error as { status?: number }).status === 404) await this.registerUntilAccepted();
    }
  }

  private async registerUntilAccepted(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.api.register({
          rtmpUrl: rtmpBaseUrl(this.config),
          hlsBaseUrl: hlsBaseUrl(this.config),
          capacity: this.capacity(this.handlers.headroom()),
        });
        return;
      } catch (error) {
        this.log.warn({ attempt, error: (error as Error).message }, 'could not register with the API; retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * attempt)));
      }
    }
  }

  private capacity(headroom: Headroom): number {
    return this.config.RELAY_CAPACITY === 'auto' ? headroom.capacity : this.config.RELAY_CAPACITY;
  }

  private updateMetrics(pipeline: StreamPipeline, destinations: ReturnType<StreamPipeline['destinationStatuses']>): void {
    const stream = pipeline.stream.streamId;
    for (const destination of destinations) {
      const summary = `${destination.status}:${destination.error ?? ''}`;
      if (this.loggedDestinationStates.get(`${stream}/${destination.id}`) !== summary) {
        this.loggedDestinationStates.set(`${stream}/${destination.id}`, summary);
        this.log.info(
          { streamId: stream, destinationId: destination.id, state: destination.status, error: destination.error },
          'destination state',
        );
      }
    }
    this.metrics.encoderFps.set({ stream }, pipeline.stats.fps ?? 0);
    this.metrics.encoderBitrate.set({ stream }, pipeline.stats.bitrateKbps ?? 0);
    this.metrics.droppedFrames.set({ stream }, pipeline.stats.droppedFrames);
    for (const mode of ['encode', 'passthrough'] as const) {
      this.metrics.outputMode.set({ stream, mode }, pipeline.mode === mode ? 1 : 0);
    }
    this.metrics.duplicatedFrames.set({ stream }, pipeline.stats.duplicatedFrames);
    this.metrics.encoderLag.set({ stream }, pipeline.stats.lagSeconds ?? 0);
    if (pipeline.ingest) {
      this.metrics.ingestFps.set({ stream }, pipeline.ingest.fpsMean);
      this.metrics.ingestBitrate.set({ stream }, pipeline.ingest.bitrateKbps);
      for (const grade of INGEST_GRADES) this.metrics.ingestGrade.set({ stream, grade }, pipeline.ingest.grade === grade ? 1 : 0);
    }
    const labels = this.destinationLabels.get(stream) ?? new Set<string>();
    this.destinationLabels.set(stream, labels);
    for (const destination of destinations) {
      labels.add(destination.id);
      for (const state of ['starting', 'broadcasting', 'errored', 'stopped'] as const) {
        this.metrics.destinationState.set({ stream, destination: destination.id, state }, destination.status === state ? 1 : 0);
      }
    }
  }
}
