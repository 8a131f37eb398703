import { z } from 'zod';
import { randomHex, type LiveInputStore } from './live-input-store';
import {
  LIVE_INPUT_ERROR_CODES,
  LIVE_INPUT_STATUS_VALUES,
  type LiveInputErrorCode,
  type LiveInputRecord,
  type VideoRecord,
} from './live-input-model';
import type { LiveInputEventType, WebhookNotifier } from './webhook-notifier';

/** Misuse of the control surface (unknown input, impossible transition): HTTP 404 / 409 on `/__control`. */
export class ControlError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export const driveStateSchema = z.object({
  state: z.enum(['connected', 'disconnected', 'reconnecting', 'errored']),
  /** For `errored`: one of Cloudflare's live-input error codes (default ERR_GOP_OUT_OF_RANGE). */
  errorCode: z.enum(LIVE_INPUT_ERROR_CODES).optional(),
  errorMessage: z.string().optional(),
  videoCodec: z.string().optional(),
  audioCodec: z.string().optional(),
  /** Show this raw enum value as the status instead of the one derived from `state`. */
  status: z.enum(LIVE_INPUT_STATUS_VALUES).optional(),
  ingestProtocol: z.enum(['rtmp', 'srt', 'webrtc']).optional(),
});
export type DriveStateRequest = z.infer<typeof driveStateSchema>;

/** Messages of Cloudflare's documentation for each error code. */
const ERROR_MESSAGES: Record<LiveInputErrorCode, string> = {
  ERR_GOP_OUT_OF_RANGE: 'Input GOP size or keyframe interval is out of range.',
  ERR_UNSUPPORTED_VIDEO_CODEC: 'The input video codec is unsupported for the protocol used.',
  ERR_UNSUPPORTED_AUDIO_CODEC: 'The input audio codec is unsupported for the protocol used.',
  ERR_STORAGE_QUOTA_EXHAUSTED: 'The account storage quota has been exceeded.',
};

/**
 * Plays the broadcaster and Cloudflare's ingest: connection states, the live video that appears
 * for a recorded input, and the notifications each change sends.
 */
export class BroadcastSimulator {
  constructor(
    private readonly store: LiveInputStore,
    private readonly notifier: WebhookNotifier,
    private readonly now: () => number,
    private readonly options: { liveVideoOnConnect: boolean },
  ) {}

  setState(uid: string, request: DriveStateRequest): LiveInputRecord {
    const record = this.inputOf(uid);
    const previous = record.connection.state;
    const now = this.now();
    if (request.state !== 'disconnected' && !record.enabled) {
      throw new ControlError(409, `Live input ${uid} is disabled: Cloudflare refuses its connections`);
    }
    const error =
      request.state === 'errored'
        ? {
            code: request.errorCode ?? 'ERR_GOP_OUT_OF_RANGE',
            message: request.errorMessage ?? ERROR_MESSAGES[request.errorCode ?? 'ERR_GOP_OUT_OF_RANGE'],
            videoCodec: request.videoCodec ?? '',
            audioCodec: request.audioCodec ?? '',
          }
        : undefined;
    if (request.state === 'disconnected' && this.isOnAir(record)) this.endBroadcast(record);
    record.connection = {
      state: request.state,
      enteredAt: previous === request.state ? record.connection.enteredAt : now,
      ingestProtocol: request.ingestProtocol ?? record.connection.ingestProtocol,
      statusOverride: request.status,
      error,
    };
    if (request.state === 'connected' && previous !== 'connected') {
      this.notify(uid, 'live_input.connected', now);
      if (this.options.liveVideoOnConnect) this.makeLiveVideoAppear(uid);
    }
    if (request.state === 'errored') this.notifier.notify(uid, 'live_input.errored', now, error);
    return record;
  }

  /**
   * The live video Cloudflare creates once it receives the stream. `recording.mode: "off"` inputs
   * never get one (neither recorded nor playable): null.
   */
  makeLiveVideoAppear(uid: string): VideoRecord | null {
    const record = this.inputOf(uid);
    if (record.connection.state !== 'connected' && record.connection.state !== 'reconnecting') {
      throw new ControlError(409, `Live input ${uid} is ${record.connection.state}: connect it before its video can appear`);
    }
    if (record.recording.mode === 'off') return null;
    const live = this.store.videosOf(uid).find((v) => v.state === 'live-inprogress');
    if (live) return live;
    const now = this.now();
    const name = typeof record.meta.name === 'string' ? record.meta.name : 'Stream Live';
    return this.store.addVideo({
      uid: randomHex(16),
      liveInput: uid,
      state: 'live-inprogress',
      name: `${name} ${new Date(now).toISOString()}`,
      createdAt: now,
      modifiedAt: now,
      durationSeconds: -1,
      requireSignedURLs: record.recording.requireSignedURLs,
      allowedOrigins: record.recording.allowedOrigins ?? [],
      deleteRecordingAfterDays: record.deleteRecordingAfterDays,
    });
  }

  /**
   * The broadcast stops (broadcaster left, keys rotated, input disabled or deleted): live videos
   * become recordings and a `disconnected` notification goes out if it was on air.
   */
  endBroadcast(record: LiveInputRecord): void {
    const now = this.now();
    const wasOnAir = ['connected', 'reconnecting', 'errored'].includes(record.connection.state);
    if (record.connection.state !== 'disconnected') {
      record.connection = { state: 'disconnected', enteredAt: now, ingestProtocol: record.connection.ingestProtocol };
    }
    for (const video of this.store.videosOf(record.uid)) {
      if (video.state !== 'live-inprogress') continue;
      video.state = 'ready';
      video.readyAt = now;
      video.modifiedAt = now;
      video.durationSeconds = Math.max(0, Math.round((now - video.createdAt) / 1000));
    }
    if (wasOnAir) this.notify(record.uid, 'live_input.disconnected', now);
  }

  isOnAir(record: LiveInputRecord): boolean {
    return ['connected', 'reconnecting', 'errored'].includes(record.connection.state);
  }

  private notify(uid: string, eventType: LiveInputEventType, at: number): void {
    this.notifier.notify(uid, eventType, at);
  }

  private inputOf(uid: string): LiveInputRecord {
    const record = this.store.find(uid);
    if (!record) throw new ControlError(404, `No live input ${uid}`);
    return record;
  }
}
