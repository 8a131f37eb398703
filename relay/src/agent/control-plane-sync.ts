import type { Logger } from 'pino';
import { ingestGradeSchema, relayDestinationStateSchema } from '../../protocol/relay-protocol.schemas';
import { ControlPlaneClient } from '../api/control-plane-client';
import type { RelayMetrics } from '../metrics/relay-metrics';
import type { StreamPipeline } from '../stream/stream-pipeline';
import { availableParallelism } from 'node:os';
import { hlsBaseUrl, type RelayConfig, rtmpBaseUrl } from './relay-config';
import type { Headroom } from './relay-headroom';
import { reportedDestinations, reportedStatus } from './stream-report';

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
  /** Recording files removed and not yet confirmed to the API. */
  recordingDeletions(): { ids: string[]; confirmed(): void };
  /** The API wants these recording files gone. */
  onDeleteRecordings(recordings: { id: string; file: string }[]): void;
  /** An operator asked the API to drain this relay. */
  onDrainRequested(): void;
}

const INGEST_GRADES = ingestGradeSchema.options;
const DESTINATION_STATES = relayDestinationStateSchema.options;

/** The final report of a stream is retried this many times (about 30 s in all): it confirms the stop. */
const FINAL_REPORT_ATTEMPTS = 7;

/** The relay's conversation with the API: registration, heartbeats, and what it reports of each stream. */
export class ControlPlaneSync {
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  private reportTimer: NodeJS.Timeout | null = null;
  private readonly pendingReports = new Set<string>();
  /**
   * One report per stream at a time, so the API applies them in the order the relay saw things: a
   * report asked for while one is on its way is sent after it, with the state of then.
   */
  private readonly reportsInFlight = new Map<string, Promise<void>>();
  private readonly reportAgain = new Set<string>();
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

  /**
   * Reports the stream's state now. `reason` makes it the final report (the stream ended here): it
   * waits for any report on its way and is retried until the API has it, since it is what confirms
   * the stop.
   */
  async report(pipeline: StreamPipeline, reason?: string): Promise<void> {
    // While stopping, say nothing: the final report (with the reason) follows once everything ended.
    if (pipeline.state === 'stopping' || (pipeline.state === 'stopped' && !reason)) return;
    const { streamId } = pipeline.stream;
    const inFlight = this.reportsInFlight.get(streamId);
    if (inFlight && !reason) {
      this.reportAgain.add(streamId);
      return;
    }
    const sending = (async () => {
      await inFlight;
      if (!reason) {
        await this.send(pipeline).catch((error: Error) =>
          this.log.warn({ streamId, error: error.message }, 'status report failed'),
        );
        return;
      }
      for (let attempt = 1; ; attempt++) {
        try {
          await this.send(pipeline, reason);
          return;
        } catch (error) {
          const status = (error as { status?: number | null }).status ?? null;
          const retry = attempt < FINAL_REPORT_ATTEMPTS && !this.stopped && (status === null || status >= 500);
          this.log.warn({ streamId, attempt, error: (error as Error).message, retry }, 'final status report failed');
          if (!retry) return;
          await new Promise((resolve) => setTimeout(resolve, Math.min(8000, 500 * 2 ** (attempt - 1))));
        }
      }
    })();
    this.reportsInFlight.set(streamId, sending);
    try {
      await sending;
    } finally {
      if (this.reportsInFlight.get(streamId) === sending) this.reportsInFlight.delete(streamId);
    }
    if (this.reportAgain.delete(streamId)) {
      const current = this.handlers.pipeline(streamId);
      if (current) await this.report(current);
    }
  }

  private async send(pipeline: StreamPipeline, reason?: string): Promise<void> {
    const { streamId, userId } = pipeline.stream;
    const destinations = pipeline.destinationStatuses();
    this.updateMetrics(pipeline, destinations);
    const reported = reportedStatus(
      {
        state: pipeline.state,
        encoderFault: pipeline.encoderFault,
        recoveredFrom: pipeline.recoveredFrom,
        stopCause: pipeline.stopCause,
      },
      reason,
    );
    const stats = pipeline.stats;
    await this.api.streamStatus({
      userId,
      streamId,
      ...reported,
      // An encoder that keeps failing sends nothing: its last figures would say otherwise.
      ...(reported.status === 'error' ? { fps: 0, bitrate: 0 } : {}),
      ...(reported.status !== 'error' && stats.fps !== null ? { fps: stats.fps } : {}),
      ...(reported.status !== 'error' && stats.bitrateKbps !== null ? { bitrate: stats.bitrateKbps } : {}),
      droppedFrames: stats.droppedFrames,
      outputMode: pipeline.mode,
      outputModeReason: pipeline.modeReason.slice(0, 300),
      ...(pipeline.ingest ? { ingest: pipeline.ingest } : {}),
      durationSeconds: Math.round((Date.now() - pipeline.startedAt) / 1000),
      destinations: reportedDestinations(destinations, reported.status),
    });
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
    for (const state of DESTINATION_STATES) {
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
      const deletions = this.handlers.recordingDeletions();
      const answer = await this.api.heartbeat({
        load: pipelines.length,
        capacity: this.capacity(headroom),
        ...(this.draining ? { state: 'draining' as const } : {}),
        activeStreams: pipelines.map((p) => p.stream.streamId),
        deletedRecordings: deletions.ids,
        usage: {
          cores: availableParallelism(),
          cpuPercent: Math.round(headroom.used.cpuPercent * 10) / 10,
          memoryMb: Math.round(headroom.used.memoryMb),
          encodeStreams: pipelines.filter((p) => p.mode === 'encode').length,
          passthroughStreams: pipelines.filter((p) => p.mode === 'passthrough').length,
          freeStreams: headroom.freeStreams,
        },
      });
      deletions.confirmed();
      this.handlers.onDeleteRecordings(answer.deleteRecordings);
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
      const summary = `${destination.status}:${destination.lastError?.code ?? ''}`;
      if (this.loggedDestinationStates.get(`${stream}/${destination.id}`) !== summary) {
        this.loggedDestinationStates.set(`${stream}/${destination.id}`, summary);
        this.log.info(
          {
            streamId: stream,
            destinationId: destination.id,
            state: destination.status,
            attempts: destination.attempts,
            error: destination.lastError,
          },
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
      for (const state of DESTINATION_STATES) {
        this.metrics.destinationState.set({ stream, destination: destination.id, state }, destination.status === state ? 1 : 0);
      }
    }
  }
}
