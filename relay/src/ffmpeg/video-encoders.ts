import { KEYFRAME_INTERVAL_SEC, OUTPUT_FPS, type QualityProfile } from './output-format';

/**
 * Pure: the video encoder's part of the encoder's argument list, per H.264 encoder. Every one must
 * give the same clean stream (see encoder-args.ts): constant 30 fps is made before it, and here an
 * IDR every 2 s and nowhere else, no B-frames (low delay, as x264's zerolatency), High profile at the
 * quality's level, a capped bitrate.
 *
 * The hardware encoders are untested on hardware (the machines we have have no GPU): their options
 * come from FFmpeg 5.1's `-h encoder=...` and its hardware-acceleration documentation.
 */

export const VIDEO_ENCODER_NAMES = ['libx264', 'h264_nvenc', 'h264_vaapi', 'h264_qsv'] as const;
export type VideoEncoderName = (typeof VIDEO_ENCODER_NAMES)[number];
/** In the order `auto` tries them. */
export const HARDWARE_ENCODERS: readonly VideoEncoderName[] = ['h264_nvenc', 'h264_qsv', 'h264_vaapi'];

export const DEFAULT_VAAPI_DEVICE = '/dev/dri/renderD128';

export interface VideoEncoderArgs {
  /** Global options, before the input: the hardware device the upload filter and encoder use. */
  deviceArgs: string[];
  /** Appended to the video filter chain (after scaling, in system memory): the upload to the GPU. */
  filterSuffix: string;
  /** Output options: codec, preset, rate control, GOP, profile and level. */
  codecArgs: string[];
}

export interface VideoEncoderOptions {
  /** DRM render node for VAAPI (and QSV, which sits on it on Linux). */
  vaapiDevice?: string;
}

export function videoEncoderArgs(
  encoder: VideoEncoderName,
  profile: QualityProfile,
  options: VideoEncoderOptions = {},
): VideoEncoderArgs {
  const device = options.vaapiDevice ?? DEFAULT_VAAPI_DEVICE;
  switch (encoder) {
    case 'libx264':
      return { deviceArgs: [], filterSuffix: '', codecArgs: libx264(profile) };
    case 'h264_nvenc':
      // NVENC takes frames from system memory itself: no upload filter, no device option.
      return { deviceArgs: [], filterSuffix: '', codecArgs: nvenc(profile) };
    case 'h264_vaapi':
      return {
        deviceArgs: ['-init_hw_device', `vaapi=relay:${device}`, '-filter_hw_device', 'relay'],
        filterSuffix: ',format=nv12,hwupload',
        codecArgs: vaapi(profile),
      };
    case 'h264_qsv':
      return {
        deviceArgs: ['-init_hw_device', `vaapi=va:${device}`, '-init_hw_device', 'qsv=relay@va', '-filter_hw_device', 'relay'],
        // The QSV encoder keeps a few surfaces of its own besides the filter's pool.
        filterSuffix: ',format=nv12,hwupload=extra_hw_frames=16',
        codecArgs: qsv(profile),
      };
  }
}

const gopFrames = String(OUTPUT_FPS * KEYFRAME_INTERVAL_SEC);
/** Forced keyframes on the output clock: every encoder honours them (NVENC/QSV need them made IDR). */
const forcedKeyframes = ['-force_key_frames', `expr:gte(t,n_forced*${KEYFRAME_INTERVAL_SEC})`];
/** Average = maximum, a 1 s buffer: what the platforms' ingest guidance asks for. */
const cappedBitrate = (kbps: number) => ['-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps}k`];

function libx264(profile: QualityProfile): string[] {
  return [
    // Measured by bench/relay/encoder-settings.ts (README "Encoder settings"): superfast on one thread
    // costs ~0.9x veryfast's CPU for -1.5 dB PSNR; ultrafast (0.7x) lost 4.4 dB, too much. zerolatency:
    // no B-frames, no lookahead (without it: 1.9x the CPU and memory). One thread: a stream cannot use
    // more than one core anyway once several share a machine, and sliced threads cost their overhead.
    ...['-c:v', 'libx264', '-preset', 'superfast', '-tune', 'zerolatency', '-threads', '1', '-pix_fmt', 'yuv420p'],
    ...['-profile:v', 'high', '-level:v', profile.level],
    ...cappedBitrate(profile.videoKbps),
    // An IDR every 60 output frames and nowhere else (no scene-cut keyframes); x264 GOPs are closed.
    ...['-g', gopFrames, '-keyint_min', gopFrames, '-sc_threshold', '0'],
    ...forcedKeyframes,
  ];
}

function nvenc(profile: QualityProfile): string[] {
  return [
    // p3 + low latency: fast, and the session count is the card's limit rather than its speed.
    ...['-c:v', 'h264_nvenc', '-preset', 'p3', '-tune', 'll', '-pix_fmt', 'yuv420p'],
    ...['-profile:v', 'high', '-level:v', profile.level],
    ...['-rc', 'cbr', ...cappedBitrate(profile.videoKbps)],
    ...['-bf', '0', '-g', gopFrames, '-no-scenecut', '1', '-forced-idr', '1'],
    ...forcedKeyframes,
  ];
}

function vaapi(profile: QualityProfile): string[] {
  return [
    ...['-c:v', 'h264_vaapi', '-profile:v', 'high', '-level:v', profile.level],
    ...['-rc_mode', 'CBR', ...cappedBitrate(profile.videoKbps)],
    // idr_interval 0: every I-frame is an IDR; with no B-frames the GOPs are closed.
    ...['-bf', '0', '-g', gopFrames, '-idr_interval', '0'],
    ...forcedKeyframes,
  ];
}

function qsv(profile: QualityProfile): string[] {
  return [
    ...['-c:v', 'h264_qsv', '-preset', 'veryfast', '-profile:v', 'high'],
    // The QSV wrapper has no named levels: level_idc as a number (4.1 -> 41).
    ...['-level:v', String(Math.round(Number(profile.level) * 10))],
    // maxrate = b:v makes the QSV rate control CBR.
    ...cappedBitrate(profile.videoKbps),
    ...['-look_ahead', '0', '-bf', '0', '-g', gopFrames, '-idr_interval', '0', '-forced_idr', '1'],
    ...forcedKeyframes,
  ];
}
