import {
  aacChannels,
  aacSampleRate,
  avcPictureSize,
  isAacBody,
  isAacSequenceHeader,
  isAvcFrame,
  isAvcSequenceHeader,
  isKeyframeBody,
  readAvcConfig,
} from '../flv/codec-config';
import type { FlvTag } from '../flv/flv-tags';
import { AUDIO, type PictureSize } from '../ffmpeg/output-format';

/**
 * Pure (no timers, no I/O): is the glasses' stream, as the output clock writes it, already what the
 * destinations need, so that it can be copied instead of encoded? It watches the pictures and sound
 * the clock writes while the glasses are on air and says `clean` once it has seen enough of them
 * and none broke a rule; any picture that breaks one sets `fault` (the reason) at once, before it
 * goes out, so the caller can switch to the cleaning encode in front of it.
 *
 * Clean means what the clean encode would give: H.264 (a profile and level every platform takes)
 * at the stream's output size, a constant frame rate, a keyframe at least every 4 s. Sound of any kind
 * is fine: the copy encodes it unless it is in the encode's own format already (`copyAudio`). Timestamps are the clock's: monotonic by construction.
 */

export interface PassthroughRules {
  /** The size the stream's output has (its quality box, the glasses' orientation). */
  size: PictureSize;
  /** Highest level_idc accepted (41 = 4.1). */
  maxLevel: number;
  /** Clean for this long (and MIN_KEYFRAMES keyframes) before copying starts. */
  settleMs: number;
}

/** Twitch and YouTube ask for a keyframe at least every 4 s. */
export const MAX_KEYFRAME_INTERVAL_MS = 4000;
/** RTMP stamps in whole milliseconds: 30 fps is 33, 33, 34. */
const FRAME_INTERVAL_TOLERANCE_MS = 2;
const MIN_FPS = 20;
const MAX_FPS = 61;
const MIN_KEYFRAMES = 3;
/** Baseline, Main, High: what every platform decodes. */
const ACCEPTED_PROFILES = new Set([66, 77, 100]);

export class PassthroughJudge {
  private since: number | null = null;
  private keyframes = 0;
  private lastKeyframeTs: number | null = null;
  private lastFrameTs: number | null = null;
  private frameInterval: number | null = null;
  private reason: string | null = null;
  private soundCopyable = true;

  constructor(readonly rules: PassthroughRules) {}

  /** Why the input is not clean now (null while it is, or while there is too little to tell). */
  get fault(): string | null {
    return this.reason;
  }

  /** Seen long enough, and nothing broke a rule. */
  clean(clockMs: number): boolean {
    return (
      this.reason === null &&
      this.since !== null &&
      this.keyframes >= MIN_KEYFRAMES &&
      clockMs - this.since >= this.rules.settleMs
    );
  }

  /** The sound seen is AAC in the encode's own format (or there was none): the copy may copy it too. */
  get copyAudio(): boolean {
    return this.soundCopyable;
  }

  /** Starts watching anew (the slate took over, or a new publish began): nothing seen counts. */
  reset(): void {
    this.since = null;
    this.keyframes = 0;
    this.lastKeyframeTs = this.lastFrameTs = this.frameInterval = null;
    this.reason = null;
    this.soundCopyable = true;
  }

  /** A tag of the glasses' (restamped) on its way out; returns the fault it caused, if any. */
  observe(tag: FlvTag): string | null {
    if (this.reason) return null;
    if (tag.kind === 'video') this.reason = this.video(tag);
    else if (tag.kind === 'audio') this.reason = this.audio(tag.data);
    return this.reason;
  }

  /** Called now and then: a keyframe that is overdue is a fault even before the next picture. */
  check(clockMs: number): string | null {
    if (!this.reason && this.lastKeyframeTs !== null && clockMs - this.lastKeyframeTs > MAX_KEYFRAME_INTERVAL_MS + 500) {
      this.reason = `no keyframe for more than ${MAX_KEYFRAME_INTERVAL_MS / 1000} s`;
      return this.reason;
    }
    return null;
  }

  private video(tag: FlvTag): string | null {
    const body = tag.data;
    if ((body[0] & 0x0f) !== 7) return 'the video is not H.264';
    if (isAvcSequenceHeader(body)) return this.config(body);
    if (!isAvcFrame(body)) return null;
    const ts = tag.timestampMs;
    this.since ??= ts;
    if (this.lastFrameTs !== null) {
      const interval = ts - this.lastFrameTs;
      if (this.frameInterval === null) {
        if (interval < 1000 / MAX_FPS || interval > 1000 / MIN_FPS) return `frame rate outside ${MIN_FPS}-${MAX_FPS} fps`;
        this.frameInterval = interval;
      } else if (Math.abs(interval - this.frameInterval) > FRAME_INTERVAL_TOLERANCE_MS) {
        return `frame rate not constant (${interval} ms after ${this.frameInterval} ms)`;
      }
    }
    this.lastFrameTs = ts;
    if (isKeyframeBody(body)) {
      if (this.lastKeyframeTs !== null && ts - this.lastKeyframeTs > MAX_KEYFRAME_INTERVAL_MS) {
        return `keyframes ${((ts - this.lastKeyframeTs) / 1000).toFixed(1)} s apart`;
      }
      this.lastKeyframeTs = ts;
      this.keyframes++;
    } else if (this.lastKeyframeTs === null) {
      return null; // before the first keyframe nothing goes out
    }
    return null;
  }

  private config(body: Buffer): string | null {
    const config = readAvcConfig(body);
    if (!config) return 'unreadable H.264 configuration';
    if (!ACCEPTED_PROFILES.has(config.profile)) return `H.264 profile ${config.profile} is not Baseline, Main or High`;
    if (config.level > this.rules.maxLevel) return `H.264 level ${config.level / 10} is above ${this.rules.maxLevel / 10}`;
    const size = avcPictureSize(body);
    const { width, height } = this.rules.size;
    if (!size || size.width !== width || size.height !== height) {
      return `picture ${size ? `${size.width}x${size.height}` : 'of unknown size'} is not the output's ${width}x${height}`;
    }
    return null;
  }

  /** Any sound will do (the copy encodes it when it must); whether it can be copied too is noted. */
  private audio(body: Buffer): null {
    if (!isAacBody(body)) this.soundCopyable = false;
    else if (isAacSequenceHeader(body)) this.soundCopyable = isEncodeSoundFormat(body);
    return null;
  }
}

/** AAC-LC 48 kHz stereo: what the encode writes. */
export function isEncodeSoundFormat(aacConfig: Buffer): boolean {
  return (
    isAacSequenceHeader(aacConfig) &&
    aacConfig.length > 2 &&
    aacConfig[2] >> 3 === 2 &&
    aacSampleRate(aacConfig) === AUDIO.sampleRate &&
    aacChannels(aacConfig) === AUDIO.channels
  );
}
