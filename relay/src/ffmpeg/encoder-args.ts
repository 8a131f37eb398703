import { isAbsolute } from 'node:path';
import { rtmpAppPathOptions, splitLocalRtmpUrl } from './rtmp-app-path';
import { buildTeeSpec } from './tee-spec';

/**
 * Pure: the argument list (after the binary) of the one encoder FFmpeg per stream. It plays the
 * glasses' dirty publish from our nginx-rtmp and writes, from ONE encode (tee), HLS to `hlsDir` and
 * a clean FLV to the `clean` application, which the forwarders copy to the platforms.
 *
 * Clean means: constant 30 fps, a closed GOP with an IDR every 2 s exactly, monotonic timestamps,
 * H.264 High at a level every platform takes, AAC 48 kHz stereo, a capped bitrate. Verified with the
 * test kit's cleanliness checker against the dirty-stream generator (pipeline.int-spec.ts).
 *
 * Works with nginx-rtmp's defaults on `live`; start it before the glasses' first keyframe reaches
 * nginx (from on_publish): a player that joins later waits for the glasses' next keyframe, which
 * may be seconds away.
 */

export type Quality = '480p' | '720p' | '1080p';

export interface EncoderArgsInput {
  /** The glasses' publish, e.g. rtmp://127.0.0.1:1935/live/{userSegment}/{streamId}. */
  inputUrl: string;
  /** Absolute directory for index.m3u8 and its segments. */
  hlsDir: string;
  /** e.g. rtmp://127.0.0.1:1935/clean/{streamId}. */
  cleanOutputUrl: string;
  quality: Quality;
}

export interface QualityProfile {
  /** The picture is scaled down (never up) to fit this box, keeping its aspect ratio. */
  maxWidth: number;
  maxHeight: number;
  /** Average and maximum video bitrate (VBV with a 1 s buffer). */
  videoKbps: number;
  /** H.264 level; 3.1 covers up to 1280x720 at 30 fps, 4.1 is the most every platform accepts. */
  level: '3.1' | '4.1';
}

export const QUALITY_PROFILES: Readonly<Record<Quality, QualityProfile>> = {
  '480p': { maxWidth: 854, maxHeight: 480, videoKbps: 1200, level: '3.1' },
  '720p': { maxWidth: 1280, maxHeight: 720, videoKbps: 2500, level: '3.1' },
  '1080p': { maxWidth: 1920, maxHeight: 1080, videoKbps: 4500, level: '4.1' },
};

export const OUTPUT_FPS = 30;
export const KEYFRAME_INTERVAL_SEC = 2;
export const AUDIO = { sampleRate: 48000, channels: 2, kbps: 128 } as const;
export const HLS_PLAYLIST = 'index.m3u8';
export const HLS_LIST_SIZE = 5;
/**
 * A read that waits this long fails. nginx-rtmp keeps a player connected after the publisher leaves,
 * so this is what ends a forgotten encoder: it exits about twice this long after the last packet.
 */
export const ENCODER_READ_TIMEOUT_MS = 5000;
/**
 * Longest wait for the glasses' first keyframe. With `-fpsprobesize 0` probing ends as soon as both
 * streams are known, so this is a bound, not a delay (wall-clock stamping makes it real time).
 */
export const ENCODER_MAX_PROBE_MS = 10_000;

export function buildEncoderArgs(input: EncoderArgsInput): string[] {
  const profile = QUALITY_PROFILES[input.quality];
  const hlsDir = checkHlsDir(input.hlsDir);
  checkCleanOutputUrl(input.cleanOutputUrl);
  const gop = String(OUTPUT_FPS * KEYFRAME_INTERVAL_SEC);
  return [
    ...['-hide_banner', '-nostdin', '-loglevel', 'warning', '-nostats', '-progress', 'pipe:1', '-stats_period', '1'],
    // The glasses' clock jumps (forward and back) and their frame rate wanders: stamp packets on
    // arrival instead. No `-fflags nobuffer`: it discards the packets read while probing, which may
    // hold the only keyframe for seconds. `low_delay`: no frame threading in the decoder (a frame
    // of delay per thread).
    ...['-use_wallclock_as_timestamps', '1', '-flags', 'low_delay'],
    // Probing is the start-up cost. By default it also reads ~20 frames to guess a frame rate we do
    // not use; without that it stops once audio and video are both known. A player joining mid-GOP
    // sees video only from the next keyframe (nginx-rtmp's default wait_key on), seconds away on
    // glasses: a short probe then finds no video and `-map 0:v:0` fails, so bound it generously.
    ...['-fpsprobesize', '0', '-analyzeduration', String(ENCODER_MAX_PROBE_MS * 1000), '-probesize', '10000000'],
    ...['-rw_timeout', String(ENCODER_READ_TIMEOUT_MS * 1000)],
    ...rtmpAppPathOptions(input.inputUrl),
    ...['-i', input.inputUrl],
    ...['-map', '0:v:0', '-map', '0:a:0'],
    ...['-vf', scaleFilter(profile)],
    // CFR at 30 fps by duplicating/dropping frames (counted as dup_frames/drop_frames in -progress).
    ...['-r', String(OUTPUT_FPS), '-fps_mode', 'cfr'],
    // zerolatency: no B-frames, no lookahead, sliced threads; about 25 % cheaper and half the memory here.
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p'],
    ...['-profile:v', 'high', '-level:v', profile.level],
    ...['-b:v', `${profile.videoKbps}k`, '-maxrate', `${profile.videoKbps}k`, '-bufsize', `${profile.videoKbps}k`],
    // An IDR every 60 output frames and nowhere else (no scene-cut keyframes); x264 GOPs are closed.
    ...['-g', gop, '-keyint_min', gop, '-sc_threshold', '0'],
    ...['-force_key_frames', `expr:gte(t,n_forced*${KEYFRAME_INTERVAL_SEC})`],
    // Wall-clock stamped audio steps back or bunches up; resample it onto its own sample clock.
    ...['-af', 'aresample=async=1', '-c:a', 'aac', '-b:a', `${AUDIO.kbps}k`],
    ...['-ar', String(AUDIO.sampleRate), '-ac', String(AUDIO.channels)],
    // tee is not a global-header format, but its FLV slave needs the SPS/PPS as extradata
    // (HLS still gets them in-band: the MPEG-TS muxer inserts them before every IDR).
    ...['-flags', '+global_header', '-f', 'tee', teeOutputs(hlsDir, input.cleanOutputUrl)],
  ];
}

function scaleFilter(p: QualityProfile): string {
  return `scale=w=min(iw\\,${p.maxWidth}):h=min(ih\\,${p.maxHeight}):force_original_aspect_ratio=decrease:force_divisible_by=2`;
}

function teeOutputs(hlsDir: string, cleanOutputUrl: string): string {
  return buildTeeSpec([
    {
      options: {
        f: 'hls',
        // A failing HLS writer (disk full) must not take the platforms down with it.
        onfail: 'ignore',
        hls_time: String(KEYFRAME_INTERVAL_SEC),
        hls_list_size: String(HLS_LIST_SIZE),
        hls_flags: 'delete_segments+independent_segments',
        // Media sequence numbers from the epoch: a restarted encoder continues upwards instead of
        // reusing segment names that players or caches may still hold.
        hls_start_number_source: 'epoch',
        hls_segment_filename: `${hlsDir}/segment_%d.ts`,
      },
      target: `${hlsDir}/${HLS_PLAYLIST}`,
    },
    // Explicit: FFmpeg 5.1's tee carries on without a slave that fails to open even by default. If
    // nginx refuses us (e.g. "Already publishing": an old encoder still holds the name), exiting beats
    // encoding HLS alone while every forwarder starves.
    { options: { f: 'flv', onfail: 'abort', flvflags: 'no_duration_filesize' }, target: cleanOutputUrl },
  ]);
}

/** A tee slave cannot take -rtmp_app: the stream name must be one segment so FFmpeg's own split is right. */
function checkCleanOutputUrl(url: string): void {
  if (splitLocalRtmpUrl(url).playpath.split('?')[0].includes('/')) {
    throw new RangeError('cleanOutputUrl must be rtmp://host:port/<application>/<name> with a name of one path segment');
  }
}

function checkHlsDir(dir: string): string {
  // `%` would be read as part of the segment number pattern.
  if (!isAbsolute(dir) || dir.includes('%') || [...dir].some((c) => c.charCodeAt(0) < 0x20)) {
    throw new RangeError(`hlsDir must be an absolute path without "%" or control characters: ${dir}`);
  }
  return dir.replace(/\/+$/, '') || '/';
}
