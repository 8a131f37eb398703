import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import type { Logger } from 'pino';
import type { RelayStopCause, RelayStreamPlan } from '../../protocol/relay-protocol.schemas';
import { ControlPlaneClient } from '../api/control-plane-client';
import { RelayMetrics } from '../metrics/relay-metrics';
import { NginxServer } from '../nginx/nginx-server';
import { hlsRoot, LIVE_APP, recordingsRoot } from '../nginx/relay-nginx-conf';
import { RelayRecordings } from '../recording/relay-recordings';
import { killOrphans } from '../process/orphans';
import { playRtmp } from '../rtmp/rtmp-player';
import { publishRtmp } from '../rtmp/rtmp-publisher';
import { SlateRenderer } from '../stream/slate-renderer';
import { StreamPipeline, type StreamIdentity } from '../stream/stream-pipeline';
import { createControlServer } from './control-server';
import { ControlPlaneSync } from './control-plane-sync';
import { FfmpegLauncher } from './ffmpeg-launcher';
import { chooseVideoEncoder, ffmpegRunner } from '../ffmpeg/encoder-detection';
import type { VideoEncoderName } from '../ffmpeg/video-encoders';
import { ProcessUsage } from './process-usage';
import { relayHeadroom, type Headroom } from './relay-headroom';
import { hlsBaseUrl, type RelayConfig, rtmpBaseUrl } from './relay-config';

/** `{userSegment}/{streamId}` as nginx names a stream published to live/{userSegment}/{streamId}. */
export function parseStreamName(name: string): { userSegment: string; streamId: string } | null {
  const match = /^(u[a-z2-7]{0,700})\/(ms_[A-Za-z0-9_-]{1,64})$/.exec(name);
  return match ? { userSegment: match[1], streamId: match[2] } : null;
}

export interface RelayAgentHooks {
  /** The drain ended (streams gone or handed over) and the agent stopped: the process may exit. */
  onDrained?(): void;
}

/**
 * The relay agent: supervises nginx-rtmp, authorises publishes through the API, and runs one
 * pipeline per stream (its input, output clock, encoder and destination sessions), which outlives
 * the glasses' drops for the stream's reconnect window.
 */
export class RelayAgent {
  private readonly pipelines = new Map<string, StreamPipeline>();
  private readonly nginx: NginxServer;
  private readonly sync: ControlPlaneSync;
  private readonly ffmpeg: FfmpegLauncher;
  private readonly slates: SlateRenderer;
  private readonly recordings: RelayRecordings;
  private readonly usage = new ProcessUsage();
  /** Chosen at start: the configured hardware encoder if it works here, else libx264. */
  private videoEncoder: VideoEncoderName = 'libx264';
  readonly metrics = new RelayMetrics();
  private control: Server | null = null;
  private stopping = false;
  private drainPromise: Promise<void> | null = null;
  /** Streams moved to another relay: they end here without a report, which would stop them. */
  private readonly handedOver = new Set<string>();
  private readonly trustedCas: readonly string[] | undefined;

  constructor(
    private readonly config: RelayConfig,
    private readonly log: Logger,
    private readonly hooks: RelayAgentHooks = {},
  ) {
    this.nginx = new NginxServer(config.NGINX_PATH, {
      modulePath: config.NGINX_RTMP_MODULE,
      workDir: config.RELAY_WORK_DIR,
      bindHost: config.RELAY_BIND_HOST,
      rtmpPort: config.RELAY_RTMP_PORT,
      hlsPort: config.RELAY_HLS_PORT,
      controlPort: config.RELAY_CONTROL_PORT,
      recordingUrlSecret: config.RELAY_RECORDING_URL_SECRET,
    });
    const api = new ControlPlaneClient(config.RELAY_API_URL, config.RELAY_TOKEN, config.RELAY_ID);
    this.sync = new ControlPlaneSync(api, config, log, this.metrics, {
      pipelines: () => this.pipelines.values(),
      headroom: () => this.headroom(),
      pipeline: (streamId) => this.pipelines.get(streamId),
      onStopWanted: async (pipeline) => {
        await this.nginx.dropPublisher(`${pipeline.stream.userSegment}/${pipeline.stream.streamId}`);
        await this.endStream(pipeline, 'stopped by the API');
      },
      onDestinationsChanged: (pipeline) => this.refreshPlan(pipeline),
      recordingDeletions: () => this.recordings.pendingDeletions(),
      onDeleteRecordings: (recordings) => this.recordings.remove(recordings),
      onDrainRequested: () => void this.drain('asked by the API'),
      onHeartbeat: async () => {
        this.recordings.reportProgress();
        const clients = await this.nginx.connectedClients();
        if (clients !== null) this.metrics.rtmpConnections.set(clients);
      },
    });
    this.ffmpeg = new FfmpegLauncher(config.FFMPEG_PATH, this.runDir, log);
    this.recordings = new RelayRecordings({
      dir: recordingsRoot(config.RELAY_WORK_DIR),
      createProcess: (label, options) => this.ffmpeg.create(label, { process: 'recording' }, options),
      report: (report) => api.recording(report),
      warn: (message, context) => log.warn(context, message),
      graceMs: config.RELAY_STOP_GRACE_MS,
      now: () => Date.now(),
    });
    this.trustedCas = config.RELAY_TLS_CA_FILE
      ? [...rootCertificates, readFileSync(config.RELAY_TLS_CA_FILE, 'utf8')]
      : undefined;
    this.slates = new SlateRenderer({
      ffmpegPath: config.FFMPEG_PATH,
      cacheDir: path.join(config.RELAY_WORK_DIR, 'slates'),
      onWarning: (message) => this.log.warn(message),
    });
  }

  /** What the streams use now (since the last reading) and how many more fit. */
  private headroom(): Headroom {
    const pipelines = [...this.pipelines.values()];
    this.usage.retain([process.pid, ...pipelines.flatMap((p) => p.pids)]);
    const read = (pids: number[]) => ({
      cpuPercent: pids.reduce((sum, pid) => sum + (this.usage.cpuPercent(pid) ?? 0), 0),
      memoryMb: pids.reduce((sum, pid) => sum + (this.usage.memoryMb(pid) ?? 0), 0),
    });
    return relayHeadroom({
      cores: availableParallelism(),
      cpuBudgetPercent: this.config.RELAY_CPU_BUDGET_PERCENT,
      memoryBudgetMb: this.config.RELAY_MEMORY_BUDGET_MB,
      agent: read([process.pid]),
      streams: pipelines.map((pipeline) => ({ mode: pipeline.mode, ...read(pipeline.pids) })),
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
    const choice = await chooseVideoEncoder(this.config.RELAY_VIDEO_ENCODER, ffmpegRunner(this.config.FFMPEG_PATH));
    this.videoEncoder = choice.encoder;
    if (choice.warning) this.log.warn(choice.warning);
    this.log.info({ encoder: choice.summary }, 'video encoder');
    await this.nginx.start(() => void this.onNginxDied());
    if (this.nginx.adopted) this.log.info('adopted the nginx a previous agent started');
    await this.sync.start();
    await this.resumeLivePublishers();
    this.log.info(
      { relayId: this.config.RELAY_ID, rtmp: rtmpBaseUrl(this.config), hls: hlsBaseUrl(this.config) },
      'relay agent ready',
    );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.sync.stop();
    await Promise.all(
      [...this.pipelines.values()].map((pipeline) => this.endStream(pipeline, 'relay shutting down', 'relay_shutdown')),
    );
    await this.nginx.stop(this.config.RELAY_STOP_GRACE_MS);
    await new Promise<void>((resolve) => (this.control ? this.control.close(() => resolve()) : resolve()));
  }

  get isDraining(): boolean {
    return this.drainPromise !== null;
  }

  /**
   * Takes the relay out of service without cutting its streams: no new stream comes (the heartbeats
   * say `draining`), the live ones carry on until they end or RELAY_DRAIN_SECONDS pass, then the API
   * moves them to other relays (their apps get the new ingest URL) and the agent stops.
   */
  drain(reason: string): Promise<void> {
    this.drainPromise ??= this.runDrain(reason).finally(() => this.hooks.onDrained?.());
    return this.drainPromise;
  }

  private async runDrain(reason: string): Promise<void> {
    const deadline = Date.now() + this.config.RELAY_DRAIN_SECONDS * 1000;
    this.log.info({ reason, streams: this.pipelines.size, deadline: new Date(deadline).toISOString() }, 'draining');
    await this.sync.startDraining();
    while (this.pipelines.size > 0 && !this.stopping && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(10, Math.min(500, deadline - Date.now()))));
    }
    if (this.stopping) return;
    if (this.pipelines.size > 0) await this.handOver();
    await this.stop();
  }

  private async handOver(): Promise<void> {
    // From here on no status report may contradict the move.
    this.sync.stop();
    const pipelines = [...this.pipelines.values()];
    for (const pipeline of pipelines) this.handedOver.add(pipeline.stream.streamId);
    try {
      const answer = await this.sync.api.handOver();
      this.log.info({ moved: answer.moved.length, unplaced: answer.unplaced.length }, 'drain deadline: streams handed over');
    } catch (error) {
      // The API will see this relay go silent and treat its streams as on relay loss.
      this.log.warn({ error: (error as Error).message }, 'hand-over failed');
    }
    await Promise.all(
      pipelines.map(async (pipeline) => {
        await this.endStream(pipeline, 'relay drained');
        // The glasses reconnect to the ingest URL their app was just given.
        await this.nginx.dropPublisher(`${pipeline.stream.userSegment}/${pipeline.stream.streamId}`);
      }),
    );
  }

  /** Streams already publishing when the agent (re)starts are carried on. */
  private async resumeLivePublishers(): Promise<void> {
    for (const name of (await this.nginx.livePublishers()) ?? []) {
      const parsed = parseStreamName(name);
      if (!parsed || this.pipelines.has(parsed.streamId)) continue;
      try {
        const plan = await this.sync.api.streamPlan(parsed.userSegment, parsed.streamId);
        this.log.info({ streamId: parsed.streamId }, 'resuming a stream that was publishing before the agent restarted');
        await this.startPipeline({ ...parsed, userId: plan.userId }, plan);
      } catch (error) {
        this.log.warn({ streamId: parsed.streamId, error: (error as Error).message }, 'could not resume a live stream');
      }
    }
  }

  private async onPublish(fields: URLSearchParams): Promise<boolean> {
    const name = fields.get('name') ?? '';
    const parsed = parseStreamName(name);
    const existing = parsed ? this.pipelines.get(parsed.streamId) : undefined;
    // Glasses whose uplink died silently come back while nginx still holds their old session.
    const replacesStalled = existing?.inputStalled === true;
    if (!parsed || (existing?.hasInput && !replacesStalled)) {
      this.metrics.publishes.inc({ outcome: parsed ? 'duplicate' : 'bad-path' });
      this.log.warn({ name, reason: parsed ? 'already publishing' : 'not live/{user}/{stream}' }, 'publish refused');
      return false;
    }
    const decision = await this.sync.api.publishAuth(`${fields.get('app') ?? LIVE_APP}/${name}`, fields.get('key') ?? '');
    this.metrics.publishes.inc({ outcome: decision.allowed ? 'allowed' : 'refused' });
    if (!decision.allowed) {
      this.log.warn({ streamId: parsed.streamId, reason: decision.reason }, 'publish refused');
      return false;
    }
    const clientId = fields.get('clientid');
    const current = this.pipelines.get(parsed.streamId);
    if (current && current.state !== 'stopping' && current.state !== 'stopped') {
      if (replacesStalled) {
        this.log.info({ streamId: parsed.streamId }, 'dropping the silent publisher the glasses left behind');
        await this.nginx.dropPublisher(name);
      }
      // The glasses are back within the window: same encoder, same destination sessions.
      this.log.info({ streamId: parsed.streamId }, 'publisher back');
      current.updatePlan(decision.plan);
      await current.attachInput(clientId);
      return true;
    }
    if (current) await current.stop('replaced by a new publish');
    await this.startPipeline({ ...parsed, userId: decision.userId }, decision.plan, clientId);
    return true;
  }

  private async onPublishDone(fields: URLSearchParams): Promise<void> {
    const parsed = parseStreamName(fields.get('name') ?? '');
    const pipeline = parsed ? this.pipelines.get(parsed.streamId) : undefined;
    this.log.info({ streamId: parsed?.streamId, known: Boolean(pipeline) }, 'publisher left');
    pipeline?.publisherLeft(fields.get('clientid'));
  }

  /** The input is attached before this returns, so on_publish lets the glasses start only then. */
  private async startPipeline(stream: StreamIdentity, plan: RelayStreamPlan, clientId: string | null = null): Promise<void> {
    const context = { streamId: stream.streamId };
    const pipeline: StreamPipeline = new StreamPipeline(stream, plan, {
      openInput: (identity, handlers) =>
        playRtmp(
          `rtmp://127.0.0.1:${this.config.RELAY_RTMP_PORT}/${LIVE_APP}/${identity.userSegment}/${identity.streamId}`,
          handlers,
        ),
      encoder: {
        createProcess: (options) => this.ffmpeg.create(`${stream.streamId}-encoder`, { ...context, process: 'encoder' }, options),
        onStderrLine: () => undefined,
        now: () => Date.now(),
        graceMs: this.config.RELAY_STOP_GRACE_MS,
        videoEncoder: this.videoEncoder,
      },
      passthrough: this.config.RELAY_PASSTHROUGH === 'on',
      connectDestination: (url, onClose) => publishRtmp(url, onClose, { ca: this.trustedCas }),
      renderSlate: (streamPlan, size) => this.slates.render(streamPlan.slate, size),
      hlsDir: (identity) => this.hlsDir(identity),
      onChange: (changed) => {
        this.metrics.reconnectingStreams.set([...this.pipelines.values()].filter((p) => p.state === 'reconnecting').length);
        this.sync.scheduleReport(changed.stream.streamId);
      },
      onHlsReady: (ready) => void this.sync.reportHlsReady(ready),
      onEncoderRestart: (_, reason) => {
        this.metrics.processRestarts.inc({ kind: 'encoder' });
        this.log.warn({ ...context, reason }, 'encoder replaced; the destinations keep their sessions');
      },
      onModeChange: (changed, mode, reason) => {
        this.log.info({ ...context, mode, reason }, mode === 'passthrough' ? 'input is clean: copied, not encoded' : 'encoding');
        this.sync.scheduleReport(changed.stream.streamId);
      },
      onIngestGrade: (changed, health) => {
        this.log.info({ ...context, grade: health.grade, reason: health.reason }, 'ingest grade');
        this.sync.scheduleReport(changed.stream.streamId);
      },
      onDestinationReconnect: (_, destinationId, code) => {
        this.metrics.destinationReconnects.inc({ stream: stream.streamId, destination: destinationId });
        this.metrics.destinationFailures.inc({ code });
      },
      destinationMaxRefusals: this.config.RELAY_DESTINATION_MAX_REFUSALS,
      onEnded: (ended, reason) => void this.endStream(ended, reason),
      onWarning: (_, message) => this.log.warn(context, message),
      startRecording: (identity) => this.recordings.start(identity),
      now: () => Date.now(),
    });
    this.pipelines.set(stream.streamId, pipeline);
    this.metrics.activeStreams.set(this.pipelines.size);
    // A new stream starts a new playlist; segments of an earlier run would confuse players.
    rmSync(this.hlsDir(stream), { recursive: true, force: true });
    mkdirSync(this.hlsDir(stream), { recursive: true });
    pipeline.start();
    this.sync.scheduleReport(stream.streamId);
    await pipeline.attachInput(clientId);
  }

  private async refreshPlan(pipeline: StreamPipeline): Promise<void> {
    try {
      const plan = await this.sync.api.streamPlan(pipeline.stream.userSegment, pipeline.stream.streamId);
      pipeline.updatePlan(plan);
      await pipeline.setDestinations(plan.destinations, plan.destinationsVersion);
    } catch (error) {
      this.log.warn(
        { streamId: pipeline.stream.streamId, error: (error as Error).message },
        'could not fetch destinations; will retry',
      );
    }
  }

  private async endStream(pipeline: StreamPipeline, reason: string, cause?: RelayStopCause): Promise<void> {
    const { streamId } = pipeline.stream;
    await pipeline.stop(reason, cause);
    if (this.pipelines.get(streamId) !== pipeline) return;
    this.pipelines.delete(streamId);
    this.log.info({ streamId, reason: pipeline.stopReason ?? reason }, 'stream ended on this relay');
    this.metrics.activeStreams.set(this.pipelines.size);
    this.sync.forget(streamId);
    if (this.handedOver.has(streamId)) return;
    await this.sync.report(pipeline, pipeline.stopReason ?? reason);
  }

  private async onNginxDied(): Promise<void> {
    if (this.stopping) return;
    this.metrics.processRestarts.inc({ kind: 'nginx' });
    this.log.error({ log: this.nginx.errorLog().slice(-1000) }, 'nginx died; restarting it');
    // The encoders and destination sessions do not depend on nginx: inputs just look gone.
    for (const pipeline of this.pipelines.values()) pipeline.publisherLeft();
    await this.nginx.start(() => void this.onNginxDied());
  }

  private hlsDir(stream: { userSegment: string; streamId: string }): string {
    return path.join(hlsRoot(this.config.RELAY_WORK_DIR), stream.userSegment, stream.streamId);
  }
}
