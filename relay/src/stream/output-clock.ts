import {
  aacChannels,
  aacSampleRate,
  isAacBody,
  isAacSequenceHeader,
  isAvcFrame,
  isAvcSequenceHeader,
  isKeyframeBody,
  SILENT_AAC_FRAME,
} from '../flv/codec-config';
import type { FlvTag } from '../flv/flv-tags';
import type { SlateMedia } from './slate-renderer';

/**
 * The stage that owns the stream's clock, apart from the glasses. It takes the glasses' messages as
 * they arrive and writes ONE continuous FLV for the encoder: their pictures and sound while they are
 * there, restamped on our clock (monotonic, never jumping with the device's clock); a repeated slate
 * picture while they are not; silent AAC whenever they send no sound. The encoder then only has to
 * turn a well-formed input into constant frame rate, so nothing the glasses do reaches the output.
 *
 * Video timestamps follow the glasses' own frame spacing while it is sane and stay within
 * VIDEO_DRIFT_MS of arrival time; audio timestamps count samples, re-anchored to arrival time when
 * they drift further than AUDIO_DRIFT_MS.
 */

export type VideoSource = 'none' | 'glasses' | 'slate';

export interface OutputClockDeps {
  now(): number;
  write(tag: FlvTag): void;
  /** The slate, once rendered for the output size. */
  slate(): SlateMedia | null;
  /** Live pictures arrive again (`live`), or the slate took over (`lost`). */
  onInput(state: 'live' | 'lost'): void;
}

/** No glasses picture this long while the publisher is still connected: the slate takes over. */
export const VIDEO_STALL_MS = 1500;
/** No glasses sound this long: silence fills in. */
export const AUDIO_GAP_MS = 500;
export const SLATE_FRAME_MS = 100;
/** Sound but no picture yet this long after the start: the slate fills in until the first keyframe. */
export const FIRST_PICTURE_WAIT_MS = 1000;
const VIDEO_DRIFT_MS = 250;
const SILENCE_BACKFILL_MS = 2000;
/**
 * Glasses never heard yet: silence of our own waits this long after their first message. A change of
 * AAC format mid-stream costs a hole of ~0.1 s in the encoder's sound, so the slower sound of a
 * publish that has some is worth waiting for; silence then fills in from the start.
 */
export const AUDIO_START_WAIT_MS = 1500;
const AUDIO_DRIFT_MS = 400;
const AAC_FRAME_SAMPLES = 1024;
const SILENCE_RATE = 48000;
/**
 * Silence of our own, 48 kHz stereo AAC-LC: FLV audio header 0xAF (AAC), then the AudioSpecificConfig
 * (object type 2, rate index 3, two channels) or one silent frame. Needs nothing rendered.
 */
const SLATE_SILENCE = {
  config: Buffer.from('af001190', 'hex'),
  frame: Buffer.concat([Buffer.from('af01', 'hex'), SILENT_AAC_FRAME[2]]),
  rate: SILENCE_RATE,
};
/** At most this many pictures are kept to restart an encoder mid-GOP (glasses go 5-7 s between keyframes). */
const GOP_CACHE_MAX = 900;

export class OutputClock {
  private readonly startedAt: number;
  private videoSource: VideoSource = 'none';
  private publisherPresent = true;
  private glassesVideoConfig: Buffer | null = null;
  private glassesAudioConfig: Buffer | null = null;
  private glassesAudioRate: number | null = null;
  private sentVideoConfig: Buffer | null = null;
  private sentAudioConfig: Buffer | null = null;
  private lastVideoTs = -1;
  private lastGlassesDts: number | null = null;
  private lastGlassesVideoAt: number | null = null;
  private lastGlassesAudioAt: number | null = null;
  private firstInputAt: number | null = null;
  private lastAudioTs = -1;
  private nextAudioTs = 0;
  private nextSlateTs = 0;
  private gop: { dts: number; data: Buffer }[] = [];

  constructor(private readonly deps: OutputClockDeps) {
    this.startedAt = deps.now();
  }

  get source(): VideoSource {
    return this.videoSource;
  }

  /** Milliseconds on the stream's clock. */
  clock(): number {
    return this.deps.now() - this.startedAt;
  }

  /** A message from the glasses (audio, video or data), as it arrives. */
  input(kind: FlvTag['kind'], publisherTimestamp: number, body: Buffer): void {
    if (!this.publisherPresent) return;
    this.firstInputAt ??= this.deps.now();
    if (kind === 'video') this.inputVideo(publisherTimestamp, body);
    else if (kind === 'audio') this.inputAudio(body);
  }

  /** The publisher left: the slate takes over at once. */
  publisherLeft(): void {
    this.publisherPresent = false;
    this.lastGlassesDts = null;
    this.lastGlassesAudioAt = null;
    this.gop = [];
    if (this.videoSource !== 'slate') this.startSlate();
  }

  /** A new publish: its first keyframe brings the pictures back. */
  publisherBack(): void {
    this.publisherPresent = true;
  }

  /** Called every ~20 ms: slate pictures, silence, and the stall check. */
  tick(): void {
    const now = this.deps.now();
    if (this.videoSource === 'glasses' && this.lastGlassesVideoAt !== null && now - this.lastGlassesVideoAt > VIDEO_STALL_MS) {
      this.startSlate();
    }
    // Sound without pictures at the start: the slate shows until the first keyframe, and the glasses
    // are on air (with their sound).
    if (this.videoSource === 'none' && this.clock() > FIRST_PICTURE_WAIT_MS && this.lastGlassesAudioAt !== null) {
      this.startSlate(false);
      this.deps.onInput('live');
    } else if (this.videoSource === 'none' && this.clock() > FIRST_PICTURE_WAIT_MS) this.startSlate(false);
    if (this.videoSource === 'slate') this.writeSlatePictures();
    if (this.soundMissing(now)) this.writeSilence();
  }

  /**
   * What a newly started encoder needs first: the current codec configurations and, while the
   * glasses are on air, the pictures since their last keyframe squeezed into the last few
   * milliseconds, so it shows the current picture at once instead of waiting for the next keyframe.
   * Returns the clock value its first tag carries.
   */
  primeNewEncoder(): number {
    const at = this.clock();
    const videoConfig = this.sentVideoConfig;
    const audioConfig = this.sentAudioConfig;
    // Each stream only has to go on forwards; the sound carries on from where it is.
    const first = Math.max(this.lastVideoTs + 1, at - this.gop.length);
    if (audioConfig) this.deps.write({ kind: 'audio', timestampMs: first, data: audioConfig });
    if (videoConfig) this.deps.write({ kind: 'video', timestampMs: first, data: videoConfig });
    if (this.videoSource === 'glasses' && this.gop.length > 0) {
      this.gop.forEach((frame, i) => this.writeVideo(first + i, frame.data));
    } else if (this.videoSource === 'slate') {
      this.nextSlateTs = first;
      this.writeSlatePictures();
    }
    this.nextAudioTs = Math.max(this.nextAudioTs, first);
    return first;
  }

  /** The codec configurations in force, stamped `at`: what a copy starting at a keyframe needs first. */
  configTags(at: number): FlvTag[] {
    return [
      ...(this.sentAudioConfig ? [{ kind: 'audio' as const, timestampMs: at, data: this.sentAudioConfig }] : []),
      ...(this.sentVideoConfig ? [{ kind: 'video' as const, timestampMs: at, data: this.sentVideoConfig }] : []),
    ];
  }

  private inputVideo(dts: number, body: Buffer): void {
    if (isAvcSequenceHeader(body)) {
      this.glassesVideoConfig = body;
      if (this.videoSource === 'glasses') this.sendVideoConfig(body, this.lastVideoTs + 1);
      return;
    }
    const keyframe = isKeyframeBody(body);
    if (isAvcFrame(body)) {
      if (keyframe) this.gop = [];
      if (this.gop.length < GOP_CACHE_MAX) this.gop.push({ dts, data: body });
    }
    if (this.videoSource !== 'glasses') {
      // Only a keyframe can follow the slate (or start the stream): the decoder needs it.
      if (!keyframe || !this.glassesVideoConfig) return;
      this.videoSource = 'glasses';
      this.lastGlassesDts = null;
      this.sendVideoConfig(this.glassesVideoConfig, Math.max(this.lastVideoTs + 1, this.clock()));
      this.deps.onInput('live');
    }
    this.lastGlassesVideoAt = this.deps.now();
    this.writeVideo(this.glassesVideoTs(dts), body);
  }

  private glassesVideoTs(dts: number): number {
    const arrival = this.clock();
    const delta = this.lastGlassesDts === null ? null : dts - this.lastGlassesDts;
    this.lastGlassesDts = dts;
    let ts = delta !== null && delta > 0 && delta < 1000 ? this.lastVideoTs + delta : arrival;
    if (Math.abs(ts - arrival) > VIDEO_DRIFT_MS) ts = arrival;
    return Math.max(this.lastVideoTs + 1, Math.round(ts));
  }

  private inputAudio(body: Buffer): void {
    if (isAacSequenceHeader(body)) {
      this.glassesAudioConfig = body;
      this.glassesAudioRate = aacSampleRate(body);
      return;
    }
    const arrival = this.clock();
    const aac = isAacBody(body);
    if (aac && !this.glassesAudioConfig) return; // undecodable without its configuration
    this.lastGlassesAudioAt = this.deps.now();
    if (aac && this.glassesAudioConfig && !this.sentAudioConfig?.equals(this.glassesAudioConfig)) {
      this.sendAudioConfig(this.glassesAudioConfig);
    }
    if (!aac || !this.glassesAudioRate) {
      // A codec whose frame length we do not read (MP3, Speex…): stamped on arrival, resampled by the encoder.
      this.writeAudio(Math.max(this.nextAudioTs, arrival), body, 0);
      return;
    }
    let ts = this.nextAudioTs;
    if (ts < arrival - AUDIO_DRIFT_MS) ts = arrival;
    // Sound far ahead of the clock would end up out of step with the pictures: let it go.
    if (ts > arrival + 2 * AUDIO_DRIFT_MS) return;
    this.writeAudio(ts, body, (AAC_FRAME_SAMPLES * 1000) / this.glassesAudioRate);
  }

  private soundMissing(now: number): boolean {
    if (this.lastGlassesAudioAt !== null) return now - this.lastGlassesAudioAt > AUDIO_GAP_MS;
    // Their format is known (they had sound before, or just left): silence in it, at once.
    if (this.glassesAudioConfig !== null || !this.publisherPresent) return true;
    return now - (this.firstInputAt ?? this.startedAt) > AUDIO_START_WAIT_MS;
  }

  private startSlate(inputLost = true): void {
    const fromStart = this.lastVideoTs < 0;
    this.videoSource = 'slate';
    this.nextSlateTs = fromStart ? 0 : Math.max(this.lastVideoTs + 1, this.clock());
    this.writeSlatePictures();
    if (inputLost) this.deps.onInput('lost');
  }

  private writeSlatePictures(): void {
    const slate = this.deps.slate();
    if (!slate) return;
    const until = this.clock();
    while (this.nextSlateTs <= until) {
      this.sendVideoConfig(slate.videoConfig, Math.max(this.lastVideoTs + 1, this.nextSlateTs));
      this.writeVideo(Math.max(this.lastVideoTs + 1, this.nextSlateTs), slate.videoFrame);
      this.nextSlateTs += SLATE_FRAME_MS;
    }
  }

  private writeSilence(): void {
    const silence = this.silence();
    const until = this.clock();
    const frameMs = (AAC_FRAME_SAMPLES * 1000) / silence.rate;
    // Silence starts where the sound stopped (up to a second back), so the encoder sees no hole.
    if (this.nextAudioTs < until - SILENCE_BACKFILL_MS)
      this.nextAudioTs = Math.max(this.lastAudioTs + 1, until - SILENCE_BACKFILL_MS);
    while (this.nextAudioTs <= until) {
      if (!this.sentAudioConfig?.equals(silence.config)) this.sendAudioConfig(silence.config);
      this.writeAudio(this.nextAudioTs, silence.frame, frameMs);
    }
  }

  /** Silence in the glasses' own AAC format when there is one; else 48 kHz stereo. */
  private silence(): { config: Buffer; frame: Buffer; rate: number } {
    const config = this.glassesAudioConfig;
    const channels = config ? aacChannels(config) : null;
    if (config && this.glassesAudioRate && (channels === 1 || channels === 2)) {
      return {
        config,
        frame: Buffer.concat([config.subarray(0, 1), Buffer.from([1]), SILENT_AAC_FRAME[channels]]),
        rate: this.glassesAudioRate,
      };
    }
    return SLATE_SILENCE;
  }

  private sendVideoConfig(config: Buffer, ts: number): void {
    if (this.sentVideoConfig?.equals(config)) return;
    this.sentVideoConfig = config;
    this.deps.write({ kind: 'video', timestampMs: Math.max(0, ts), data: config });
  }

  private sendAudioConfig(config: Buffer): void {
    this.sentAudioConfig = config;
    this.deps.write({ kind: 'audio', timestampMs: Math.max(0, Math.round(this.nextAudioTs)), data: config });
  }

  private writeVideo(ts: number, body: Buffer): void {
    this.lastVideoTs = ts;
    this.deps.write({ kind: 'video', timestampMs: ts, data: body });
  }

  private writeAudio(ts: number, body: Buffer, durationMs: number): void {
    const stamped = Math.max(this.lastAudioTs + 1, Math.round(ts));
    this.lastAudioTs = stamped;
    // Count samples exactly: only a stamp pushed on by more than rounding moves the count with it.
    this.nextAudioTs = (stamped - ts > 1 ? stamped : ts) + durationMs;
    this.deps.write({ kind: 'audio', timestampMs: stamped, data: body });
  }
}
