import { mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';
import { ControlPlaneClient } from '../api/control-plane-client';
import { buildEncoderArgs } from '../ffmpeg/encoder-args';
import { buildForwarderArgs } from '../ffmpeg/forwarder-args';
import { feedProgress, INITIAL_PROGRESS_STATE, ProgressSnapshot } from '../ffmpeg/progress-parser';
import { RelayMetrics } from '../metrics/relay-metrics';
import { NginxServer } from '../nginx/nginx-server';
import { CLEAN_APP, hlsRoot, LIVE_APP } from '../nginx/relay-nginx-conf';
import { ManagedProcess } from '../process/managed-process';
import { killOrphans } from '../process/orphans';
import { DestinationTarget } from '../stream/destination-forwarder';
import { StreamIdentity, StreamPipeline } from '../stream/stream-pipeline';
import { createControlServer } from './control-server';
import { hlsBaseUrl, RelayConfig, rtmpBaseUrl } from './relay-config';

type StreamQuality = '480p' | '720p' | '1080p';

const PLAYER_WAIT_MS = 2000;

/** `{userSegment}/{streamId}` as nginx names a stream published to live/{userSegment}/{streamId}. */
export function parseStreamName(name: string): { userSegment: string; streamId: string } | null {
  const match = /^(u[a-z2-7]{0,700})\/(ms_[A-Za-z0-9_-]{1,64})$/.exec(name);
  return match ? { userSegment: match[1], streamId: match[2] } : null;
}

/**
 * The relay agent: supervises nginx-rtmp, authorises publishes through the API, runs one
 * pipeline per stream, keeps destinations in step with the API, and reports what it observes.
 */
export class RelayAgent {
  private readonly pipelines = new Map<string, StreamPipeline>();
  private readonly nginx: NginxServer;
  private readonly api: ControlPlaneClient;
  readonly metrics = new RelayMetrics();
  private control: Server | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  private readonly pendingReports = new Set<string>();
  private reportTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  private readonly loggedDestinationStates = new Map<string, string>();

  constructor(
    private readonly config: RelayConfig,
    private readonly log: Logger,
  ) {
    this.api = new ControlPlaneClient(config.RELAY_API_URL, config.RELAY_TOKEN, config.RELAY_ID);
    this.nginx = new NginxServer(config.NGINX_PATH, {
      modulePath: config.NGINX_RTMP_MODULE,
      workDir: config.RELAY_WORK_DIR,
      bindHost: config.RELAY_BIND_HOST,
      rtmpPort: config.RELAY_RTMP_PORT,
      hlsPort: config.RELAY_HLS_PORT,
      controlPort: config.RELAY_CONTROL_PORT,
    });
  }

  private get runDir(): string {
    return path.join(this.config.RELAY_WORK_DIR, 'run');
  }

  async start(): Promise<void> {
    mkdirSync(this.runDir, { recursive: true });
    const orphans = killOrphans(this.runDir, 'ffmpeg');
    if (orphans.length > 0) this.log.warn({ pids: orphans }, 'killed FFmpeg processes left by a previous agent');
    this.control = createControlServer(
      { onPublish: (fields) => this.onPublish(fields), onPublishDone: (fields) => this.onPublishDone(fields) },
      this.metrics,
      (msg, extra) => this.log.error(extra ?? {}, msg),
    );
    await new Promise<void>((resolve, reject) => {
      this.control!.once('error', reject);
      this.control!.listen(this.config.RELAY_CONTROL_PORT, this.config.RELAY_BIND_HOST, resolve);
    });
    await this.nginx.start(() => void this.onNginxDied());
    if (this.nginx.adopted) this.log.info('adopted the nginx a previous agent started');
    await this.registerUntilAccepted();
    await this.reconcile();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.config.RELAY_HEARTBEAT_MS);
    this.statusTimer = setInterval(() => this.reportAll(), this.config.RELAY_STATUS_INTERVAL_MS);
    this.log.info(
      { relayId: this.config.RELAY_ID, rtmp: rtmpBaseUrl(this.config), hls: hlsBaseUrl(this.config) },
      'relay agent ready',
    );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.statusTimer) clearInterval(this.statusTimer);
    if (this.reportTimer) clearTimeout(this.reportTimer);
    await Promise.all([...this.pipelines.values()].map((pipeline) => this.endStream(pipeline, 'relay shutting down')));
    await this.nginx.stop(this.config.RELAY_STOP_GRACE_MS);
    await new Promise<void>((resolve) => (this.control ? this.control.close(() => resolve()) : resolve()));
  }

  /** Streams already publishing when the agent (re)starts get a pipeline; nothing else runs. */
  private async reconcile(): Promise<void> {
    for (const name of await this.nginx.livePublishers()) {
      const parsed = parseStreamName(name);
      if (!parsed || this.pipelines.has(parsed.streamId)) continue;
      this.log.info({ streamId: parsed.streamId }, 'resuming a stream that was publishing before the agent restarted');
      this.startPipeline({ ...parsed, userId: parsed.userSegment });
    }
  }

  private async onPublish(fields: URLSearchParams): Promise<boolean> {
    const name = fields.get('name') ?? '';
    const parsed = parseStreamName(name);
    let existing = parsed ? this.pipelines.get(parsed.streamId) : undefined;
    if (existing?.state === 'stopping') {
      // The glasses reconnected before the previous publish's processes were gone: wait for them.
      await existing.stop();
      existing = parsed ? this.pipelines.get(parsed.streamId) : undefined;
    }
    if (!parsed || (existing && existing.state !== 'stopped')) {
      this.metrics.publishes.inc({ outcome: parsed ? 'duplicate' : 'bad-path' });
      this.log.warn({ name, reason: parsed ? 'already publishing' : 'not live/{user}/{stream}' }, 'publish refused');
      return false;
    }
    const decision = await this.api.publishAuth(`${fields.get('app') ?? LIVE_APP}/${name}`, fields.get('key') ?? '');
    this.metrics.publishes.inc({ outcome: decision.allowed ? 'allowed' : 'refused' });
    if (!decision.allowed) {
      this.log.warn({ streamId: parsed.streamId, reason: decision.reason }, 'publish refused');
      return false;
    }
    this.startPipeline({ ...parsed, userId: decision.userId ?? parsed.userSegment });
    // Let the publish start only once the encoder listens, so it gets the very first keyframe.
    if (!(await this.nginx.waitForPlayer(name, PLAYER_WAIT_MS))) {
      this.log.warn({ streamId: parsed.streamId }, 'encoder not attached yet; letting the publish start anyway');
    }
    return true;
  }

  private async onPublishDone(fields: URLSearchParams): Promise<void> {
    const parsed = parseStreamName(fields.get('name') ?? '');
    const pipeline = parsed ? this.pipelines.get(parsed.streamId) : undefined;
    this.log.info({ streamId: parsed?.streamId, known: Boolean(pipeline) }, 'publisher left');
    if (pipeline) await this.endStream(pipeline, 'the publisher left');
  }

  private startPipeline(stream: StreamIdentity): void {
    const quality: StreamQuality = '720p';
    const pipeline = new StreamPipeline(stream, {
      createEncoder: (identity, onProgress, onExit) =>
        this.ffmpeg(
          `${identity.streamId}-encoder`,
          buildEncoderArgs({
            inputUrl: `rtmp://127.0.0.1:${this.config.RELAY_RTMP_PORT}/${LIVE_APP}/${identity.userSegment}/${identity.streamId}`,
            hlsDir: this.hlsDir(identity),
            cleanOutputUrl: this.cleanUrl(identity),
            quality,
          }),
          onProgress,
          onExit,
        ),
      forwarderDeps: (identity) => ({
        createProcess: (target: DestinationTarget, onProgress: (snapshot: ProgressSnapshot) => void, onExit: () => void) =>
          this.ffmpeg(
            `${identity.streamId}-${target.id}`,
            buildForwarderArgs({ sourceUrl: this.cleanUrl(identity), destinationUrl: target.url }),
            onProgress,
            onExit,
          ),
        onReconnect: (forwarder) => {
          this.metrics.destinationReconnects.inc({ stream: identity.streamId, destination: forwarder.target.id });
        },
        now: () => Date.now(),
        graceMs: this.config.RELAY_STOP_GRACE_MS,
      }),
      hlsDir: (identity) => this.hlsDir(identity),
      onChange: (changed) => this.scheduleReport(changed.stream.streamId),
      onHlsReady: (ready) => void this.reportHlsReady(ready),
      onEncoderRestart: () => this.metrics.processRestarts.inc({ kind: 'encoder' }),
      now: () => Date.now(),
      graceMs: this.config.RELAY_STOP_GRACE_MS,
    });
    this.pipelines.set(stream.streamId, pipeline);
    this.metrics.activeStreams.set(this.pipelines.size);
    // A new encoder starts a new playlist; segments of an earlier run would confuse players.
    rmSync(this.hlsDir(stream), { recursive: true, force: true });
    mkdirSync(this.hlsDir(stream), { recursive: true });
    pipeline.start();
    this.scheduleReport(stream.streamId);
    void this.refreshDestinations(pipeline);
  }

  private ffmpeg(
    label: string,
    args: string[],
    onProgress: (snapshot: ProgressSnapshot) => void,
    onExit: () => void,
  ): ManagedProcess {
    let parser = INITIAL_PROGRESS_STATE;
    return new ManagedProcess({
      command: this.config.FFMPEG_PATH,
      args,
      pidFile: path.join(this.runDir, `${label}.pid`),
      onStdout: (chunk) => {
        const fed = feedProgress(parser, chunk);
        parser = fed.state;
        fed.snapshots.forEach(onProgress);
      },
      onExit,
    });
  }

  private async refreshDestinations(pipeline: StreamPipeline): Promise<void> {
    try {
      const answer = await this.api.destinations(pipeline.stream.userSegment, pipeline.stream.streamId);
      await pipeline.setDestinations(answer.destinations, answer.destinationsVersion);
    } catch (error) {
      this.log.warn(
        { streamId: pipeline.stream.streamId, error: (error as Error).message },
        'could not fetch destinations; will retry',
      );
    }
  }

  private async endStream(pipeline: StreamPipeline, reason: string): Promise<void> {
    const { streamId } = pipeline.stream;
    await pipeline.stop();
    if (this.pipelines.get(streamId) === pipeline) this.pipelines.delete(streamId);
    this.log.info({ streamId, reason }, 'stream ended on this relay');
    this.metrics.activeStreams.set(this.pipelines.size);
    this.metrics.destinationState.reset();
    await this.report(pipeline, reason);
  }

  private async heartbeat(): Promise<void> {
    try {
      const answer = await this.api.heartbeat({
        load: this.pipelines.size,
        capacity: this.config.RELAY_CAPACITY,
        activeStreams: [...this.pipelines.keys()],
      });
      for (const stream of answer.streams) {
        const pipeline = this.pipelines.get(stream.streamId);
        if (!pipeline) continue;
        if (stream.desired === 'stop') {
          await this.nginx.dropPublisher(`${pipeline.stream.userSegment}/${stream.streamId}`);
          await this.endStream(pipeline, 'stopped by the API');
        } else if (stream.destinationsVersion !== pipeline.destinationsVersion) {
          await this.refreshDestinations(pipeline);
        }
      }
      const clients = await this.nginx.connectedClients();
      if (clients !== null) this.metrics.rtmpConnections.set(clients);
    } catch (error) {
      this.log.warn({ error: (error as Error).message }, 'heartbeat failed');
      if ((error as { status?: number }).status === 404) await this.registerUntilAccepted();
    }
  }

  private async registerUntilAccepted(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await this.api.register({
          rtmpUrl: rtmpBaseUrl(this.config),
          hlsBaseUrl: hlsBaseUrl(this.config),
          capacity: this.config.RELAY_CAPACITY,
        });
        return;
      } catch (error) {
        this.log.warn({ attempt, error: (error as Error).message }, 'could not register with the API; retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * attempt)));
      }
    }
  }

  private async onNginxDied(): Promise<void> {
    if (this.stopping) return;
    this.metrics.processRestarts.inc({ kind: 'nginx' });
    this.log.error({ log: this.nginx.errorLog().slice(-1000) }, 'nginx died; restarting it');
    await Promise.all([...this.pipelines.values()].map((pipeline) => this.endStream(pipeline, 'the RTMP server restarted')));
    await this.nginx.start(() => void this.onNginxDied());
  }

  private scheduleReport(streamId: string): void {
    this.pendingReports.add(streamId);
    this.reportTimer ??= setTimeout(() => {
      this.reportTimer = null;
      const ids = [...this.pendingReports];
      this.pendingReports.clear();
      for (const id of ids) {
        const pipeline = this.pipelines.get(id);
        if (pipeline) void this.report(pipeline);
      }
    }, 100);
  }

  private reportAll(): void {
    for (const pipeline of this.pipelines.values()) void this.report(pipeline);
  }

  private async report(pipeline: StreamPipeline, reason?: string): Promise<void> {
    // While stopping, say nothing: endStream reports once everything has ended.
    if (pipeline.state === 'stopping' || (pipeline.state === 'stopped' && !reason)) return;
    const { streamId, userId } = pipeline.stream;
    const destinations = pipeline.destinationStatuses();
    this.updateMetrics(pipeline, destinations);
    const status = pipeline.state === 'running' ? 'active' : pipeline.state === 'starting' ? 'connecting' : 'stopped';
    try {
      await this.api.streamStatus({
        userId,
        streamId,
        status,
        ...(reason ? { reason } : {}),
        ...(pipeline.stats.fps !== null ? { fps: pipeline.stats.fps } : {}),
        ...(pipeline.stats.bitrateKbps !== null ? { bitrate: pipeline.stats.bitrateKbps } : {}),
        droppedFrames: pipeline.stats.droppedFrames,
        durationSeconds: Math.round((Date.now() - pipeline.startedAt) / 1000),
        destinations: status === 'stopped' ? destinations.map((d) => ({ id: d.id, status: 'stopped' as const })) : destinations,
      });
    } catch (error) {
      this.log.warn({ streamId, error: (error as Error).message }, 'status report failed');
    }
  }

  private updateMetrics(pipeline: StreamPipeline, destinations: ReturnType<StreamPipeline['destinationStatuses']>): void {
    const stream = pipeline.stream.streamId;
    for (const destination of destinations) {
      const summary = `${destination.status}:${destination.error ?? ''}`;
      if (this.loggedDestinationStates.get(destination.id) === summary) continue;
      this.loggedDestinationStates.set(destination.id, summary);
      this.log.info(
        { streamId: stream, destinationId: destination.id, state: destination.status, error: destination.error },
        'destination state',
      );
    }
    this.metrics.encoderFps.set({ stream }, pipeline.stats.fps ?? 0);
    this.metrics.encoderBitrate.set({ stream }, pipeline.stats.bitrateKbps ?? 0);
    this.metrics.droppedFrames.set({ stream }, pipeline.stats.droppedFrames);
    this.metrics.duplicatedFrames.set({ stream }, pipeline.stats.duplicatedFrames);
    this.metrics.encoderLag.set({ stream }, pipeline.stats.lagSeconds ?? 0);
    for (const destination of destinations) {
      for (const state of ['starting', 'broadcasting', 'errored', 'stopped'] as const) {
        this.metrics.destinationState.set({ stream, destination: destination.id, state }, destination.status === state ? 1 : 0);
      }
    }
  }

  private async reportHlsReady(pipeline: StreamPipeline): Promise<void> {
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

  private hlsDir(stream: { userSegment: string; streamId: string }): string {
    return path.join(hlsRoot(this.config.RELAY_WORK_DIR), stream.userSegment, stream.streamId);
  }

  private cleanUrl(stream: { streamId: string }): string {
    return `rtmp://127.0.0.1:${this.config.RELAY_RTMP_PORT}/${CLEAN_APP}/${stream.streamId}`;
  }
}
