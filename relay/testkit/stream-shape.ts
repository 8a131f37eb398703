/**
 * Pure: the input shapes real glasses send besides the default (720p, 9-15 fps, AAC 44.1 kHz mono,
 * one unbroken publish): no audio, audio before video, audio pauses, any size, size changes with a
 * new AVC sequence header, constant low/high frame rates, 48 kHz stereo, and publisher drops.
 * Options come in seconds (what a test or a person writes); the plan works in milliseconds.
 */

export interface VideoSize {
  width: number;
  height: number;
}

export const DEFAULT_VIDEO_SIZE: VideoSize = { width: 1280, height: 720 };

export type AudioFormatName = 'mono44' | 'stereo48' | 'none';

export interface AudioFormat {
  codec: 'aac';
  sampleRate: number;
  channels: number;
  samplesPerFrame: number;
}

export const AUDIO_FORMATS = {
  mono44: { codec: 'aac', sampleRate: 44100, channels: 1, samplesPerFrame: 1024 },
  stereo48: { codec: 'aac', sampleRate: 48000, channels: 2, samplesPerFrame: 1024 },
} as const satisfies Record<Exclude<AudioFormatName, 'none'>, AudioFormat>;

/** After a drop the device clock restarts from 0 (what real glasses do) or keeps running. */
export type ClockAfterDrop = 'restart' | 'continue';

export interface ShapeOptions {
  /** Default 1280x720; `'720x1280'` or `{ width, height }` (even, 16-4096). */
  size?: VideoSize | string;
  /** `'wander'` (default): 9-15 fps in ~1 s segments with jitter; a number: that constant rate, no jitter. */
  fps?: number | 'wander';
  /** Default `'mono44'` (AAC 44.1 kHz mono); `'none'` publishes no audio track at all. */
  audio?: AudioFormatName;
  /** Audio from the start, video (and its sequence header) only from this many seconds on. */
  audioOnlyForSec?: number;
  /** Spans where audio pauses and video goes on alone; audio resumes without a new sequence header. */
  videoOnly?: readonly { atSec: number; forSec: number }[];
  /**
   * From `atSec`: a new AVC sequence header (a fresh encoder at `size`), then a keyframe. The same size
   * as before gives a re-sent SPS/PPS, as some encoders do after the camera reconnects.
   */
  resizes?: readonly { atSec: number; size: VideoSize | string }[];
  /**
   * The publisher's connection ends at `atSec` and a new RTMP session to the same URL starts `forSec`
   * later (sequence headers, then a keyframe). `abrupt`: the socket is destroyed without
   * FCUnpublish/deleteStream (default: a clean unpublish).
   */
  drops?: readonly { atSec: number; forSec: number; abrupt?: boolean }[];
  /** Default `'restart'`. */
  clockAfterDrop?: ClockAfterDrop;
}

export interface PlannedResize {
  atWallMs: number;
  size: VideoSize;
}

export interface PlannedDrop {
  atWallMs: number;
  returnWallMs: number;
  abrupt: boolean;
}

export interface WallSpan {
  fromWallMs: number;
  toWallMs: number;
}

/** Validated options in milliseconds. */
export interface StreamShape {
  size: VideoSize;
  fps: number | 'wander';
  audio: AudioFormat | null;
  videoStartMs: number;
  audioPauses: WallSpan[];
  resizes: PlannedResize[];
  drops: PlannedDrop[];
  clockAfterDrop: ClockAfterDrop;
}

/** One RTMP session of the publisher: from a connect to a drop (or to the end of the stream). */
export interface PublishSession {
  index: number;
  startWallMs: number;
  endWallMs: number;
  /** How the session ends: `final` is the end of the whole stream (a clean unpublish). */
  end: 'clean' | 'abrupt' | 'final';
  /** The device clock (timestamp) at startWallMs. */
  clockAtStartMs: number;
}

export const FPS_LIMITS = { min: 1, max: 120 } as const;

export function parseVideoSize(text: string): VideoSize {
  const match = /^(\d+)x(\d+)$/.exec(text.trim());
  if (!match) throw new RangeError(`size must be WIDTHxHEIGHT, got "${text}"`);
  return checkSize({ width: Number(match[1]), height: Number(match[2]) });
}

export function formatVideoSize(size: VideoSize): string {
  return `${size.width}x${size.height}`;
}

export function normalizeShape(options: ShapeOptions, durationMs: number): StreamShape {
  const ms = (sec: number, what: string): number => {
    if (!Number.isFinite(sec) || sec < 0) throw new RangeError(`${what} must be a number >= 0, got ${sec}`);
    return Math.round(sec * 1000);
  };
  const fps = options.fps ?? 'wander';
  if (fps !== 'wander' && !(fps >= FPS_LIMITS.min && fps <= FPS_LIMITS.max)) {
    throw new RangeError(`fps must be 'wander' or ${FPS_LIMITS.min}-${FPS_LIMITS.max}, got ${fps}`);
  }
  const audioName = options.audio ?? 'mono44';
  if (!(audioName in AUDIO_FORMATS) && audioName !== 'none') throw new RangeError(`unknown audio format ${audioName}`);
  const audio = audioName === 'none' ? null : AUDIO_FORMATS[audioName];
  const videoStartMs = ms(options.audioOnlyForSec ?? 0, 'audioOnlyForSec');
  if (videoStartMs > 0 && !audio) throw new RangeError('audioOnlyForSec needs audio');
  if (videoStartMs > durationMs - 1000) throw new RangeError('audioOnlyForSec must leave at least 1 s of video');
  const audioPauses = (options.videoOnly ?? []).map((p) => {
    const fromWallMs = ms(p.atSec, 'videoOnly.atSec');
    return { fromWallMs, toWallMs: fromWallMs + ms(p.forSec, 'videoOnly.forSec') };
  });
  if (audioPauses.length > 0 && !audio) throw new RangeError('videoOnly needs audio');
  const resizes = (options.resizes ?? []).map((r) => ({ atWallMs: ms(r.atSec, 'resizes.atSec'), size: toSize(r.size) }));
  checkInside(
    resizes.map((r) => ({ fromWallMs: r.atWallMs, toWallMs: r.atWallMs })),
    durationMs,
    'resize',
    videoStartMs + 1,
  );
  const drops = (options.drops ?? [])
    .map((d) => {
      const atWallMs = ms(d.atSec, 'drops.atSec');
      const forMs = ms(d.forSec, 'drops.forSec');
      if (forMs < 100) throw new RangeError(`a drop must last at least 0.1 s, got ${d.forSec} s`);
      return { atWallMs, returnWallMs: atWallMs + forMs, abrupt: d.abrupt ?? false };
    })
    .sort((a, b) => a.atWallMs - b.atWallMs);
  checkInside(
    drops.map((d) => ({ fromWallMs: d.atWallMs, toWallMs: d.returnWallMs })),
    durationMs,
    'drop',
    1,
  );
  drops.forEach((d, i) => {
    if (i > 0 && d.atWallMs < drops[i - 1].returnWallMs + 500) throw new RangeError('drops must be at least 0.5 s apart');
  });
  return {
    size: toSize(options.size ?? DEFAULT_VIDEO_SIZE),
    fps,
    audio,
    videoStartMs,
    audioPauses,
    resizes: resizes.sort((a, b) => a.atWallMs - b.atWallMs),
    drops,
    clockAfterDrop: options.clockAfterDrop ?? 'restart',
  };
}

/** The publisher's sessions: one per connection, split by the drops. */
export function planSessions(drops: readonly PlannedDrop[], durationMs: number): Omit<PublishSession, 'clockAtStartMs'>[] {
  const starts = [0, ...drops.map((d) => d.returnWallMs)];
  return starts.map((startWallMs, index) => ({
    index,
    startWallMs,
    endWallMs: index < drops.length ? drops[index].atWallMs : durationMs,
    end: index < drops.length ? (drops[index].abrupt ? 'abrupt' : 'clean') : 'final',
  }));
}

/** The session sending at `wallMs`, or undefined while the publisher is away. */
export function sessionAt<S extends { startWallMs: number; endWallMs: number }>(
  sessions: readonly S[],
  wallMs: number,
): S | undefined {
  return sessions.find((s) => wallMs >= s.startWallMs && wallMs < s.endWallMs);
}

export function insideAny(spans: readonly WallSpan[], wallMs: number): boolean {
  return spans.some((s) => wallMs >= s.fromWallMs && wallMs < s.toWallMs);
}

function toSize(size: VideoSize | string): VideoSize {
  return typeof size === 'string' ? parseVideoSize(size) : checkSize(size);
}

/** H.264 4:2:0 needs even dimensions. */
function checkSize(size: VideoSize): VideoSize {
  const ok = (n: number): boolean => Number.isInteger(n) && n >= 16 && n <= 4096 && n % 2 === 0;
  if (!ok(size.width) || !ok(size.height)) {
    throw new RangeError(`video size must be even, 16-4096 on each side, got ${formatVideoSize(size)}`);
  }
  return { width: size.width, height: size.height };
}

function checkInside(spans: readonly WallSpan[], durationMs: number, what: string, minStartMs: number): void {
  for (const s of spans) {
    if (s.fromWallMs < minStartMs || s.toWallMs >= durationMs) {
      throw new RangeError(`a ${what} at ${s.fromWallMs / 1000} s does not fit inside the stream (${durationMs / 1000} s)`);
    }
  }
}
