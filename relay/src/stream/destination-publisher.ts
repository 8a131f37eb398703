import type { RelayDestinationState } from '../../protocol/relay-protocol.schemas';
import { isAacSequenceHeader, isAvcSequenceHeader, isKeyframeBody } from '../flv/codec-config';
import type { FlvTag } from '../flv/flv-tags';
import { backoffDelay, DESTINATION_BACKOFF } from '../process/backoff';
import type { RtmpPublishSession } from '../rtmp/rtmp-publisher';
import { redactDestination } from './redact';

export interface DestinationTarget {
  id: string;
  name: string;
  /** Full URL with the key; never logged or reported. */
  url: string;
}

export interface DestinationPublisherDeps {
  connect(url: string, onClose: (error: Error) => void): Promise<RtmpPublishSession>;
  /** What a new session starts with: metadata, codec configurations, the current GOP (may be empty). */
  startTags(): FlvTag[];
  onChange(publisher: DestinationPublisher): void;
  onReconnect(publisher: DestinationPublisher): void;
  now(): number;
  random?: () => number;
}

/** No bytes taken by the destination for this long while some wait: it stopped reading. */
export const STALL_MS = 4000;
/** Past this backlog, pictures are dropped until the next keyframe rather than queued. */
export const MAX_BACKLOG_BYTES = 1_500_000;

/**
 * States of one destination (desired: publishing until stopped):
 *   stopped → starting (start)        starting → broadcasting (publish accepted, first keyframe sent)
 *   starting | broadcasting → errored (refused, closed, stalled; a retry is scheduled)
 *   errored → starting (retry)        any → stopped (stop)
 *
 * Each destination is one RTMP(S) session from this process, fed from the encoder's one output:
 * a slow or dead destination drops its own pictures and reconnects without touching the others.
 */
export class DestinationPublisher {
  private state: RelayDestinationState = 'stopped';
  private lastError: string | null = null;
  private session: RtmpPublishSession | null = null;
  private wanted = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  /** Stream time that is zero in this session (each session starts at 0, as FFmpeg's would). */
  private base: number | null = null;
  private waitingForKeyframe = true;
  private lastBacklog = 0;
  private lastProgressAt = 0;
  private readonly lastSent = { audio: -1, video: -1, script: -1 };

  constructor(
    readonly target: DestinationTarget,
    private readonly deps: DestinationPublisherDeps,
  ) {}

  get status(): { id: string; status: RelayDestinationState; error?: string } {
    return {
      id: this.target.id,
      status: this.state,
      ...(this.state === 'errored' && this.lastError ? { error: this.lastError } : {}),
    };
  }

  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.watchdog = setInterval(() => this.checkProgress(), 500);
    void this.connect();
  }

  /** Graceful: a proper end of stream to the platform; otherwise the connection is cut. */
  async stop(graceful = true): Promise<void> {
    this.wanted = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.retryTimer = null;
    this.watchdog = null;
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
    if (this.state === 'starting' && !this.waitingForKeyframe) {
      this.attempt = 0;
      this.set('broadcasting');
    }
  }

  private async connect(): Promise<void> {
    if (!this.wanted) return;
    this.attempt++;
    this.set('starting');
    let session: RtmpPublishSession;
    try {
      session = await this.deps.connect(this.target.url, (error) => this.onSessionClosed(session, error));
    } catch (error) {
      this.failed((error as Error).message);
      return;
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
    for (const tag of this.deps.startTags()) this.push(tag);
  }

  private onSessionClosed(session: RtmpPublishSession, error: Error): void {
    if (session !== this.session) return;
    this.session = null;
    this.failed(error.message);
  }

  private checkProgress(): void {
    const session = this.session;
    if (!session) return;
    const now = this.deps.now();
    const backlog = session.backlogBytes;
    if (backlog === 0 || backlog < this.lastBacklog) this.lastProgressAt = now;
    this.lastBacklog = backlog;
    if (now - this.lastProgressAt > STALL_MS) {
      this.session = null;
      session.destroy(new Error('stalled'));
      this.failed('the destination stopped accepting data (stalled)');
    }
  }

  private failed(reason: string): void {
    if (!this.wanted) return;
    this.set('errored', redactDestination(reason, this.target.url).slice(0, 300));
    this.deps.onReconnect(this);
    const delay = backoffDelay(this.attempt, DESTINATION_BACKOFF, this.deps.random);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }

  private set(state: RelayDestinationState, error: string | null = null): void {
    const changed = state !== this.state || (state === 'errored' && error !== this.lastError);
    this.state = state;
    if (state === 'errored') this.lastError = error;
    if (changed) this.deps.onChange(this);
  }
}

/** AVC/AAC sequence headers: every session needs them before any frame. */
export function isConfig(tag: FlvTag): boolean {
  return tag.kind === 'video' ? isAvcSequenceHeader(tag.data) : tag.kind === 'audio' && isAacSequenceHeader(tag.data);
}
