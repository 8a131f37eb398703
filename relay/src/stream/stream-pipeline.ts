import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DestinationErrorCode, IngestHealth, RelayStopCause, RelayStreamPlan } from '../../protocol/relay-protocol.schemas';
import {
  avcPictureSize,
  isAacBody,
  isAacSequenceHeader,
  isAvcFrame,
  isAvcSequenceHeader,
  isKeyframeBody,
  readAvcConfig,
  withParameterSets,
  type AvcConfig,
} from '../flv/codec-config';
import type { FlvTag } from '../flv/flv-tags';
import { HLS_PLAYLIST } from '../ffmpeg/encoder-args';
import { outputSize, type PictureSize } from '../ffmpeg/output-format';
import type { PlayedMessage, RtmpPlayer } from '../rtmp/rtmp-player';
import type { RtmpPublishSession } from '../rtmp/rtmp-publisher';
import { DestinationPublisher, type DestinationTarget } from './destination-publisher';
import { EncoderRunner, type EncoderRunnerOptions, type EncoderStats, type OutputMode } from './encoder-runner';
import { IngestGradeKeeper, IngestHealthMonitor } from './ingest-health';
import { MediaFanout } from './media-fanout';
import { OutputClock } from './output-clock';
import { isEncodeSoundFormat, PassthroughJudge } from './passthrough-judge';
import type { SlateMedia } from './slate-renderer';

/**
 * States of a stream on this relay (desired: on air until stopped or the window runs out):
 *   starting     → live | reconnecting | stopping   (first picture; publisher gone before it; stop)
 *   live         → reconnecting | stopping          (glasses gone or silent: the slate is on air)
 *   reconnecting → live | stopping                  (glasses back; window over or stop)
 *   stopping     → stopped
 * The encoder and every destination session live through `reconnecting`: the audience sees the slate.
 */
export type PipelineState = 'starting' | 'live' | 'reconnecting' | 'stopping' | 'stopped';

const TRANSITIONS: Record<PipelineState, readonly PipelineState[]> = {
  starting: ['live', 'reconnecting', 'stopping'],
  live: ['reconnecting', 'stopping'],
  reconnecting: ['live', 'stopping'],
  stopping: ['stopped'],
  stopped: [],
};

export interface StreamIdentity {
  streamId: string;
  userSegment: string;
  /** The API's userId. */
  userId: string;
}

/** Where the clean stream is recorded (recording-writer.ts): fed like a destination, from the start. */
export interface RecordingSink {
  start(startTags: readonly FlvTag[]): void;
  push(tag: FlvTag): void;
  stop(): Promise<void>;
}

export interface PipelineDeps {
  openInput(
    stream: StreamIdentity,
    handlers: { onMessage(m: PlayedMessage): void; onClose(e: Error): void },
  ): Promise<RtmpPlayer>;
  encoder: Omit<EncoderRunnerOptions, 'onOutput' | 'onRunning' | 'onRestart' | 'onModeChange' | 'input' | 'streamClock'>;
  /** Copy input that is clean already instead of encoding it. */
  passthrough: boolean;
  connectDestination(url: string, onClose: (error: Error) => void): Promise<RtmpPublishSession>;
  renderSlate(plan: RelayStreamPlan, size: PictureSize): Promise<SlateMedia>;
  hlsDir(stream: StreamIdentity): string;
  onChange(pipeline: StreamPipeline): void;
  onHlsReady(pipeline: StreamPipeline): void;
  onEncoderRestart(pipeline: StreamPipeline, reason: string): void;
  onModeChange(pipeline: StreamPipeline, mode: OutputMode, reason: string): void;
  /** The grade of the glasses' uplink changed (reported at once, not at the next periodic report). */
  onIngestGrade(pipeline: StreamPipeline, health: IngestHealth): void;
  /** A destination's attempt failed, with its code (raw counters). */
  onDestinationReconnect(pipeline: StreamPipeline, destinationId: string, code: DestinationErrorCode): void;
  /** Refusals of a destination's key in a row before it is `failed`. */
  destinationMaxRefusals?: number;
  /** The pipeline ended by itself (the publisher left without a window, or the window ran out). */
  onEnded(pipeline: StreamPipeline, reason: string): void;
  onWarning(pipeline: StreamPipeline, message: string): void;
  /** For a plan with `record`: the recording of this stream session. */
  startRecording?(stream: StreamIdentity): RecordingSink;
  now(): number;
}

const TICK_MS = 20;
const INGEST_CHECK_MS = 1000;
/**
 * Sound without pictures at the start: the output's shape waits this long for the first picture
 * (portrait glasses must give a portrait output), then goes landscape. Nothing is lost meanwhile.
 */
export const FIRST_PICTURE_MAX_WAIT_MS = 6000;
/** A clean input is copied once it has been watched this long (and three keyframes). */
export const PASSTHROUGH_SETTLE_MS = 4000;
/** After a fall back to the encode, the input has to be clean this long before it is copied again. */
export const PASSTHROUGH_RETRY_SETTLE_MS = 30_000;
/** The highest H.264 level copied: 4.1 is the most every platform accepts. */
const PASSTHROUGH_MAX_LEVEL = 41;
/**
 * An encoder that failed and has produced nothing since for this long is reported as the stream's
 * fault. A single crash or stall is replaced well within it (the audience barely notices), so it
 * changes no status.
 */
export const ENCODER_FAULT_REPORT_MS = 2000;
export class StreamPipeline {
  private current: PipelineState = 'starting';
  private readonly clock: OutputClock;
  private readonly encoder: EncoderRunner;
  private readonly fanout: MediaFanout;
  private readonly publishers = new Map<string, DestinationPublisher>();
  private recording: RecordingSink | null = null;
  private input: RtmpPlayer | null = null;
  /** nginx's id of the publisher being played: its on_publish_done is the one that counts. */
  private inputClient: string | null = null;
  private size: PictureSize | null = null;
  private slate: SlateMedia | null = null;
  /** The landscape slate, rendered at once: pictures for a start with sound only, before the size is known. */
  private firstSlate: SlateMedia | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
  private sizeTimer: NodeJS.Timeout | null = null;
  private windowTimer: NodeJS.Timeout | null = null;
  private hlsTimer: NodeJS.Timeout | null = null;
  private ingestTimer: NodeJS.Timeout | null = null;
  private readonly ingestMonitor = new IngestHealthMonitor();
  private readonly ingestGrade = new IngestGradeKeeper();
  /** The glasses' uplink as last graded; null until they have sent for 2 s. */
  ingest: IngestHealth | null = null;
  private hlsReported = false;
  private stopping: Promise<void> | null = null;
  /** Watches the input for passthrough (once the output size is known, when passthrough is on). */
  private judge: PassthroughJudge | null = null;
  private settleMs = PASSTHROUGH_SETTLE_MS;
  /** The encoder is being primed: what the clock writes now is a replay, not new input. */
  private priming = false;
  /** The H.264 configuration in force on the output: a copied keyframe carries its parameter sets. */
  private videoConfig: AvcConfig | null = null;
  /** Why the stream is in its mode (e.g. why the input is not copied). */
  modeReason: string;
  stopReason: string | null = null;
  stopCause: RelayStopCause | null = null;
  destinationsVersion = -1;
  /** The encoder's last failure while it has produced nothing since (null: it is running). */
  private encoderFailure: { reason: string; since: number } | null = null;
  private encoderFaultTimer: NodeJS.Timeout | null = null;
  /** The fault the encoder recovered from (one that lasted long enough to be reported), until the input changes. */
  recoveredFrom: string | null = null;
  readonly startedAt: number;

  constructor(
    readonly stream: StreamIdentity,
    private plan: RelayStreamPlan,
    private readonly deps: PipelineDeps,
  ) {
    this.startedAt = deps.now();
    this.modeReason = deps.passthrough ? 'encoded: the input is being watched' : 'encoded: passthrough is off';
    this.fanout = new MediaFanout(
      () => (this.recording ? [...this.publishers.values(), this.recording] : this.publishers.values()),
      () => deps.now(),
    );
    this.encoder = new EncoderRunner({
      ...deps.encoder,
      streamClock: () => this.clock.clock(),
      input: () => {
        this.priming = true;
        try {
          return this.clock.primeNewEncoder();
        } finally {
          this.priming = false;
        }
      },
      onModeChange: (mode, reason) => this.modeChanged(mode, reason),
      onOutput: (tag) => this.fanout.push(tag),
      onRunning: () => {
        this.encoderRecovered();
        deps.onChange(this);
      },
      onRestart: (reason) => {
        this.fanout.encoderRestarted();
        this.encoderFailed(reason);
        deps.onEncoderRestart(this, reason);
      },
    });
    this.clock = new OutputClock({
      now: () => deps.now(),
      write: (tag) => this.route(tag),
      slate: () => this.slate ?? this.firstSlate,
      onInput: (state) => this.onInput(state),
    });
  }

  get state(): PipelineState {
    return this.current;
  }

  get hasInput(): boolean {
    return this.input !== null;
  }

  /** A publisher is connected but has sent no picture for a while (e.g. its uplink died silently). */
  get inputStalled(): boolean {
    return this.input !== null && this.clock.source === 'slate';
  }

  get quality(): RelayStreamPlan['quality'] {
    return this.plan.quality;
  }

  get stats(): EncoderStats {
    return this.encoder.stats;
  }

  get mode(): OutputMode {
    return this.encoder.mode;
  }

  get pids(): number[] {
    return this.encoder.pids;
  }

  /** Why the stream has no output now, when its encoder has been failing for a while (else null). */
  get encoderFault(): string | null {
    const failure = this.encoderFailure;
    if (!failure || this.deps.now() - failure.since < ENCODER_FAULT_REPORT_MS) return null;
    return `the encoder keeps failing (${failure.reason}); no output for ${Math.round((this.deps.now() - failure.since) / 1000)} s`;
  }

  destinationStatuses(): DestinationPublisher['status'][] {
    return [...this.publishers.values()].map((publisher) => publisher.status);
  }

  start(): void {
    this.tickTimer = setInterval(() => this.tick(), TICK_MS);
    this.sizeTimer = setTimeout(() => this.decideSize(null), FIRST_PICTURE_MAX_WAIT_MS);
    this.deps.renderSlate(this.plan, outputSize(this.plan.quality, null)).then(
      (slate) => (this.firstSlate = slate),
      (error: unknown) => this.deps.onWarning(this, `slate not rendered: ${(error as Error).message}`),
    );
    this.hlsTimer = setInterval(() => this.checkHls(), 200);
    this.ingestTimer = setInterval(() => this.checkIngest(), INGEST_CHECK_MS);
    void this.setDestinations(this.plan.destinations, this.plan.destinationsVersion);
    if (this.plan.record && this.deps.startRecording) {
      this.recording = this.deps.startRecording(this.stream);
      this.recording.start(this.fanout.startTags());
    }
  }

  /** A publish started (first or again): from its first keyframe the glasses are on air. */
  async attachInput(clientId: string | null = null): Promise<void> {
    if (this.stopping) return;
    this.input?.close();
    this.inputClient = clientId;
    this.clock.publisherBack();
    this.ingestMonitor.publisherBack();
    this.input = await this.deps.openInput(this.stream, {
      onMessage: (message) => this.onInputMessage(message),
      onClose: () => undefined, // nginx's on_publish_done says when the publisher left
    });
  }

  /** The publisher left: the slate goes on air, and the window starts (or, without one, the stream ends). */
  publisherLeft(clientId: string | null = null): void {
    // A publisher replaced by a newer one says goodbye late: that is not the glasses leaving.
    if (clientId !== null && this.inputClient !== null && clientId !== this.inputClient) return;
    this.input?.close();
    this.input = null;
    if (this.stopping) return;
    if (this.plan.reconnectWindowSeconds === 0) this.end('the publisher left (no reconnect window)', 'publisher_left');
    else this.clock.publisherLeft();
  }

  /** Starts publishers for new destinations and stops those that went away. */
  async setDestinations(targets: readonly DestinationTarget[], version: number): Promise<void> {
    if (this.stopping) return;
    this.destinationsVersion = version;
    const wanted = new Map(targets.map((target) => [target.id, target]));
    const stopping: Promise<void>[] = [];
    for (const [id, publisher] of this.publishers) {
      const target = wanted.get(id);
      if (!target || target.url !== publisher.target.url) {
        this.publishers.delete(id);
        stopping.push(publisher.stop());
      }
    }
    for (const target of targets) {
      const existing = this.publishers.get(target.id);
      if (existing && (target.retry ?? 0) !== (existing.target.retry ?? 0)) existing.retryNow(target.retry ?? 0);
      if (existing) continue;
      const publisher = new DestinationPublisher(
        { ...target },
        {
          connect: (url, onClose) => this.deps.connectDestination(url, onClose),
          startTags: () => this.fanout.startTags(),
          onChange: () => this.deps.onChange(this),
          onReconnect: (_, code) => this.deps.onDestinationReconnect(this, target.id, code),
          ...(this.deps.destinationMaxRefusals ? { maxRefusals: this.deps.destinationMaxRefusals } : {}),
          now: () => this.deps.now(),
        },
      );
      this.publishers.set(target.id, publisher);
      publisher.start();
    }
    await Promise.all(stopping);
    this.deps.onChange(this);
  }

  updatePlan(plan: RelayStreamPlan): void {
    this.plan = { ...plan, quality: this.plan.quality };
  }

  /** Idempotent: every caller gets the same stop, finished when every session and process has ended. */
  stop(reason: string, cause: RelayStopCause = 'stop_requested'): Promise<void> {
    this.stopping ??= this.stopNow(reason, cause);
    return this.stopping;
  }

  private async stopNow(reason: string, cause: RelayStopCause): Promise<void> {
    this.stopReason = reason;
    this.stopCause = cause;
    this.move('stopping');
    for (const timer of [this.tickTimer, this.hlsTimer, this.ingestTimer]) if (timer) clearInterval(timer);
    for (const timer of [this.sizeTimer, this.windowTimer, this.encoderFaultTimer]) if (timer) clearTimeout(timer);
    this.input?.close();
    this.input = null;
    // The encoder first, so its last pictures reach the destinations before their sessions end.
    await this.encoder.stop();
    this.endHlsPlaylist();
    await Promise.all([...[...this.publishers.values()].map((publisher) => publisher.stop()), this.recording?.stop()]);
    this.move('stopped');
    this.deps.onChange(this);
  }

  private onInputMessage(message: PlayedMessage): void {
    if (message.kind === 'video' && this.size === null && isAvcSequenceHeader(message.payload)) {
      this.decideSize(avcPictureSize(message.payload));
    }
    this.clock.input(message.kind, message.timestamp, message.payload);
    this.watchIngest(message);
  }

  private watchIngest(message: PlayedMessage): void {
    const at = this.deps.now();
    const body = message.payload;
    if (message.kind === 'video' && isAvcFrame(body)) {
      this.ingestMonitor.picture(at, message.timestamp, body.length, isKeyframeBody(body));
    } else if (message.kind === 'audio' && isAacBody(body) && !isAacSequenceHeader(body)) {
      this.ingestMonitor.sound(at, message.timestamp, body.length);
    }
  }

  /** While the glasses are away their uplink is not graded: the stream's status says they are gone. */
  private checkIngest(): void {
    if (this.input === null) return;
    const now = this.deps.now();
    const { health, changed } = this.ingestGrade.update(this.ingestMonitor.figures(now), now);
    this.ingest = health;
    if (changed && health) this.deps.onIngestGrade(this, health);
  }

  /** The output size is chosen once, from the first picture's shape (or landscape without one). */
  private decideSize(first: PictureSize | null): void {
    if (this.size || this.stopping) return;
    if (this.sizeTimer) clearTimeout(this.sizeTimer);
    this.size = outputSize(this.plan.quality, first);
    const size = this.size;
    this.deps.renderSlate(this.plan, size).then(
      (slate) => {
        this.slate = slate;
        this.clock.tick();
      },
      (error: unknown) => this.deps.onWarning(this, `slate not rendered: ${(error as Error).message}`),
    );
    this.encoder.start(size, this.plan.quality, this.deps.hlsDir(this.stream));
    if (this.deps.passthrough) {
      this.judge = new PassthroughJudge({ size, maxLevel: PASSTHROUGH_MAX_LEVEL, settleMs: this.settleMs });
    }
  }

  private tick(): void {
    this.clock.tick();
    if (this.clock.source !== 'glasses') return;
    const fault = this.judge?.check(this.clock.clock());
    if (fault) this.fallBack(fault);
  }

  /**
   * Every tag the output clock writes passes here on its way to the encoder (or copy). While the
   * glasses are on air the judge sees it first: a tag that breaks a rule sends the stream to the
   * encode before it goes out; a keyframe of an input proven clean starts the copy.
   */
  private route(tag: FlvTag): void {
    if (tag.kind === 'video' && isAvcSequenceHeader(tag.data)) this.videoConfig = readAvcConfig(tag.data);
    // Copied sound must keep its format, whoever writes it (the glasses, or silence while they are away).
    if (tag.kind === 'audio' && this.encoder.copiesAudio && leavesEncodeSoundFormat(tag.data)) {
      this.fallBack('the sound changed format');
    }
    if (this.judge && !this.priming && this.clock.source === 'glasses') {
      const fault = this.judge.observe(tag);
      if (fault) this.fallBack(fault);
      else if (this.encoder.mode === 'encode' && isKeyframe(tag) && this.judge.clean(tag.timestampMs)) {
        this.modeReason = 'the input is clean: copied';
        this.encoder.switchMode('passthrough', false, this.judge.copyAudio);
        for (const config of this.clock.configTags(tag.timestampMs)) this.encoder.write(config);
        this.deps.onModeChange(this, 'passthrough', this.modeReason);
      }
    }
    const inBand = this.encoder.mode === 'passthrough' && isKeyframe(tag) && this.videoConfig;
    this.encoder.write(inBand ? { ...tag, data: withParameterSets(tag.data, inBand) } : tag);
  }

  /** The input broke a rule: the cleaning encode takes over (from the last keyframe) and watching starts anew. */
  private fallBack(fault: string, penalize = true): void {
    this.judge?.reset();
    if (this.encoder.mode === 'encode') {
      this.modeReason = `encoded: ${fault}`;
      return;
    }
    this.encoder.switchMode('encode', true);
    this.modeChanged('encode', fault, penalize);
  }

  /** `penalize`: the input's own fault, so it must prove itself clean for longer before the next copy. */
  private modeChanged(mode: OutputMode, reason: string, penalize = true): void {
    this.modeReason = mode === 'encode' ? `encoded: ${reason}` : reason;
    if (penalize && mode === 'encode' && this.judge && this.settleMs !== PASSTHROUGH_RETRY_SETTLE_MS) {
      this.settleMs = PASSTHROUGH_RETRY_SETTLE_MS;
      this.judge = new PassthroughJudge({ ...this.judge.rules, settleMs: this.settleMs });
    }
    this.deps.onModeChange(this, mode, this.modeReason);
  }

  /** The playlist is written without an end (a mode switch must not end it for players): this ends it. */
  private endHlsPlaylist(): void {
    const playlist = path.join(this.deps.hlsDir(this.stream), HLS_PLAYLIST);
    try {
      if (existsSync(playlist) && !/#EXT-X-ENDLIST/.test(readFileSync(playlist, 'utf8'))) {
        appendFileSync(playlist, '#EXT-X-ENDLIST\n');
      }
    } catch (error) {
      this.deps.onWarning(this, `HLS playlist not ended: ${(error as Error).message}`);
    }
  }

  private onInput(state: 'live' | 'lost'): void {
    if (this.stopping) return;
    this.recoveredFrom = null;
    if (state === 'live') {
      if (this.windowTimer) clearTimeout(this.windowTimer);
      this.windowTimer = null;
      if (this.current !== 'live') this.move('live');
    } else {
      // The slate is encoded (a copy of repeated slate pictures would not be constant-rate), and what
      // comes back is watched anew: the glasses leaving is no fault of their stream.
      this.fallBack('the glasses are away: the slate is encoded', false);
      if (this.current !== 'reconnecting') this.move('reconnecting');
      // Without a window only the publisher leaving ends the stream (publisherLeft).
      const windowSeconds = this.plan.reconnectWindowSeconds;
      if (windowSeconds > 0) {
        this.windowTimer ??= setTimeout(
          () => this.end(`the glasses did not come back within ${windowSeconds} s`, 'window_expired'),
          windowSeconds * 1000,
        );
      }
    }
    this.deps.onChange(this);
  }

  private end(reason: string, cause: RelayStopCause): void {
    void this.stop(reason, cause).then(() => this.deps.onEnded(this, reason));
  }

  private encoderFailed(reason: string): void {
    if (this.stopping) return;
    const since = this.encoderFailure?.since ?? this.deps.now();
    this.encoderFailure = { reason, since };
    this.recoveredFrom = null;
    // Reported once it has lasted: the report is due then, not at the next periodic one.
    this.encoderFaultTimer ??= setTimeout(
      () => {
        this.encoderFaultTimer = null;
        if (this.encoderFailure) this.deps.onChange(this);
      },
      Math.max(0, since + ENCODER_FAULT_REPORT_MS - this.deps.now()) + 50,
    );
  }

  private encoderRecovered(): void {
    if (this.encoderFaultTimer) clearTimeout(this.encoderFaultTimer);
    this.encoderFaultTimer = null;
    const failure = this.encoderFailure;
    this.encoderFailure = null;
    if (failure && this.deps.now() - failure.since >= ENCODER_FAULT_REPORT_MS) this.recoveredFrom = failure.reason;
  }

  /** hls-ready means a player can start: the playlist names at least one finished segment. */
  private checkHls(): void {
    if (this.hlsReported) return;
    const playlist = path.join(this.deps.hlsDir(this.stream), HLS_PLAYLIST);
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

function leavesEncodeSoundFormat(body: Buffer): boolean {
  return !isAacBody(body) || (isAacSequenceHeader(body) && !isEncodeSoundFormat(body));
}

function isKeyframe(tag: FlvTag): boolean {
  return tag.kind === 'video' && isAvcFrame(tag.data) && isKeyframeBody(tag.data);
}

export type { FlvTag };
