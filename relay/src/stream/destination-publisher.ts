import type {
  DestinationError,
  DestinationErrorCode,
  RelayDestinationReport,
  RelayDestinationState,
} from '../../protocol/relay-protocol.schemas';
import { isAacSequenceHeader, isAvcSequenceHeader, isKeyframeBody } from '../flv/codec-config';
import type { FlvTag } from '../flv/flv-tags';
import { backoffDelay, DESTINATION_BACKOFF, SESSION_HELD_BACKOFF } from '../process/backoff';
import { RtmpError } from '../rtmp/rtmp-connection';
import type { RtmpPublishSession } from '../rtmp/rtmp-publisher';
import { classifyDestinationFailure, type DestinationFailure } from './destination-failure';
import { redactDestination } from './redact';

export interface DestinationTarget {
  id: string;
  name: string;
  /** Full URL with the key; never logged or reported. */
  url: string;
  /** "Retry now" requests so far: a new value retries at once. */
  retry?: number;
}

export interface DestinationPublisherDeps {
  connect(url: string, onClose: (error: Error) => void): Promise<RtmpPublishSession>;
  /** What a new session starts with: metadata, codec configurations, the current GOP (may be empty). */
  startTags(): FlvTag[];
  onChange(publisher: DestinationPublisher): void;
  /** Each failed attempt, with its code (raw counters). */
  onReconnect(publisher: DestinationPublisher, code: DestinationErrorCode): void;
  now(): number;
  random?: () => number;
  /** Refusals of the key in a row after which the destination is `failed` (default 5). */
  maxRefusals?: number;
}

/** No bytes taken by the destination for this long while some wait: it stopped reading. */
export const STALL_MS = 4000;
/** Past this backlog, pictures are dropped until the next keyframe rather than queued. */
export const MAX_BACKLOG_BYTES = 1_500_000;
export const DEFAULT_MAX_REFUSALS = 5;
/** The sent bitrate is measured over this window. */
const BITRATE_WINDOW_MS = 3000;

/**
 * States of one destination (desired: publishing until stopped):
 *   stopped → starting (start)        starting | retrying → broadcasting (publish accepted, first keyframe sent)
 *   starting | broadcasting | retrying → retrying (refused, closed, stalled; the next attempt is scheduled,
 *                                      and attempts in between stay `retrying`: a retry that ends the
 *                                      same way is no change)
 *   retrying → failed (the key refused `maxRefusals` times in a row: no more attempts)
 *   retrying | failed → starting (retry now)        any → stopped (stop)
 *
 * Each destination is one RTMP(S) session from this process, fed from the encoder's one output:
 * a slow or dead destination drops its own pictures and reconnects without touching the others.
 */
export class DestinationPublisher {
  private state: RelayDestinationState = 'stopped';
  private lastError: DestinationError | null = null;
  private session: RtmpPublishSession | null = null;
  private wanted = false;
  private connecting = false;
  /** Attempts since it last broadcast. */
  private attempts = 0;
  /** Refusals of the key in a row. */
  private refusals = 0;
  private nextRetryAt: number | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  /** Stream time that is zero in this session (each session starts at 0, as FFmpeg's would). */
  private base: number | null = null;
  private waitingForKeyframe = true;
  private lastBacklog = 0;
  private lastProgressAt = 0;
  private readonly lastSent = { audio: -1, video: -1, script: -1 };
  private readonly sent = { bytes: 0, frames: 0 };
  private bitrateSamples: { at: number; bytes: number }[] = [];

  constructor(
    readonly target: DestinationTarget,
    private readonly deps: DestinationPublisherDeps,
  ) {}

  get status(): RelayDestinationReport {
    return {
      id: this.target.id,
      status: this.state,
      attempts: this.attempts,
      nextRetryAt: this.nextRetryAt === null ? null : new Date(this.nextRetryAt).toISOString(),
      lastError: this.lastError,
      ...(this.state === 'broadcasting' ? { sentBitrateKbps: this.sentBitrateKbps(), sentFrames: this.sent.frames } : {}),
    };
  }

  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.watchdog = setInterval(() => this.checkProgress(), 500);
    this.set('starting');
    void this.connect();
  }

  /** "Retry now": forgets the backoff and the refusals and connects at once (a failed destination too). */
  retryNow(retry: number): void {
    this.target.retry = retry;
    if (!this.wanted || this.state === 'broadcasting' || this.state === 'starting') return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.attempts = 0;
    this.refusals = 0;
    this.nextRetryAt = null;
    this.set('starting');
    if (!this.connecting) void this.connect();
  }

  /** Graceful: a proper end of stream to the platform; otherwise the connection is cut. */
  async stop(graceful = true): Promise<void> {
    this.wanted = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.retryTimer = null;
    this.watchdog = null;
    this.nextRetryAt = null;
    const session = this.session;
    this.session = null;
    if (session) {
      if (graceful) await session.finish();
      else session.destroy(new Error('stopped'));
    }
    this.set('stopped');
  }

  /** One tag of the clean stream, on the stream's clock. */
  push(tag: FlvTag): void {
    const session = this.session;
    if (!session || session.closed) return;
    const config = isConfig(tag);
    if (!config && tag.kind !== 'script') {
      if (session.backlogBytes > MAX_BACKLOG_BYTES) this.waitingForKeyframe = true;
      if (this.waitingForKeyframe) {
        if (tag.kind !== 'video' || !isKeyframeBody(tag.data) || session.backlogBytes > MAX_BACKLOG_BYTES) return;
        this.waitingForKeyframe = false;
      }
    }
    // The session's zero is its first picture: metadata and configurations may carry older times.
    if (!config && tag.kind !== 'script') this.base ??= tag.timestampMs;
    const ts = this.base === null ? 0 : Math.max(0, tag.timestampMs - this.base, this.lastSent[tag.kind]);
    this.lastSent[tag.kind] = ts;
    session.send(tag.kind, ts, tag.data);
    this.sent.bytes += tag.data.length;
    if (tag.kind === 'video' && !config) this.sent.frames++;
    if (this.state !== 'broadcasting' && !this.waitingForKeyframe) {
      this.attempts = 0;
      this.refusals = 0;
      this.nextRetryAt = null;
      this.set('broadcasting');
    }
  }

  private async connect(): Promise<void> {
    if (!this.wanted) return;
    this.attempts++;
    this.connecting = true;
    let session: RtmpPublishSession;
    try {
      session = await this.deps.connect(this.target.url, (error) => this.onSessionClosed(session, error));
    } catch (error) {
      this.failed(failureOf(error as Error));
      return;
    } finally {
      this.connecting = false;
    }
    if (!this.wanted) {
      session.destroy(new Error('stopped'));
      return;
    }
    this.session = session;
    this.base = null;
    this.waitingForKeyframe = true;
    this.lastSent.audio = this.lastSent.video = this.lastSent.script = -1;
    this.lastBacklog = 0;
    this.lastProgressAt = this.deps.now();
    this.sent.bytes = this.sent.frames = 0;
    this.bitrateSamples = [];
    for (const tag of this.deps.startTags()) this.push(tag);
  }

  private onSessionClosed(session: RtmpPublishSession, error: Error): void {
    if (session !== this.session) return;
    this.session = null;
    this.failed(failureOf(error, this.sent.bytes));
  }

  private checkProgress(): void {
    const session = this.session;
    if (!session) return;
    const now = this.deps.now();
    this.bitrateSamples.push({ at: now, bytes: this.sent.bytes - session.backlogBytes });
    while (this.bitrateSamples.length > 2 && now - this.bitrateSamples[1].at >= BITRATE_WINDOW_MS) this.bitrateSamples.shift();
    const backlog = session.backlogBytes;
    if (backlog === 0 || backlog < this.lastBacklog) this.lastProgressAt = now;
    this.lastBacklog = backlog;
    if (now - this.lastProgressAt > STALL_MS) {
      this.session = null;
      session.destroy(new Error('stalled'));
      this.failed({ stage: 'streaming', stalled: true, mediaBytesSent: this.sent.bytes });
    }
  }

  private sentBitrateKbps(): number {
    const first = this.bitrateSamples[0];
    const last = this.bitrateSamples[this.bitrateSamples.length - 1];
    if (!first || !last || last.at <= first.at) return 0;
    return Math.max(0, Math.round(((last.bytes - first.bytes) * 8) / (last.at - first.at)));
  }

  private failed(failure: DestinationFailure): void {
    if (!this.wanted) return;
    const classified = classifyDestinationFailure(failure, hostOf(this.target.url));
    const now = this.deps.now();
    this.lastError = {
      code: classified.code,
      message: redactDestination(classified.message, this.target.url).slice(0, 500),
      at: new Date(now).toISOString(),
    };
    this.deps.onReconnect(this, classified.code);
    this.refusals = classified.code === 'key_rejected' ? this.refusals + 1 : 0;
    if (this.refusals >= (this.deps.maxRefusals ?? DEFAULT_MAX_REFUSALS)) {
      this.nextRetryAt = null;
      this.set('failed', true);
      return;
    }
    // A platform still holding the old session lets go after its own timeout: asking every 2 s does not help.
    const policy = classified.code === 'already_publishing' ? SESSION_HELD_BACKOFF : DESTINATION_BACKOFF;
    const delay = backoffDelay(this.attempts, policy, this.deps.random);
    this.nextRetryAt = now + delay;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
    this.set('retrying', true);
  }

  /** `always`: report even without a change of state (a new error, attempt count or retry time). */
  private set(state: RelayDestinationState, always = false): void {
    const changed = state !== this.state;
    this.state = state;
    if (changed || always) this.deps.onChange(this);
  }
}

function failureOf(error: Error, mediaBytesSent?: number): DestinationFailure {
  const details = error instanceof RtmpError ? error.details : {};
  const errno = details.errno ?? (error as NodeJS.ErrnoException).code;
  return {
    ...details,
    stage: details.stage ?? 'socket',
    ...(typeof errno === 'string' ? { errno } : {}),
    ...(mediaBytesSent !== undefined ? { mediaBytesSent } : {}),
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname || 'the destination';
  } catch {
    return 'the destination';
  }
}

/** AVC/AAC sequence headers: every session needs them before any frame. */
export function isConfig(tag: FlvTag): boolean {
  return tag.kind === 'video' ? isAvcSequenceHeader(tag.data) : tag.kind === 'audio' && isAacSequenceHeader(tag.data);
}
