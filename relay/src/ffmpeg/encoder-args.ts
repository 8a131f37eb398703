import { isAbsolute } from 'node:path';
import type { StreamQuality } from '../../protocol/relay-protocol.schemas';
import { AUDIO, KEYFRAME_INTERVAL_SEC, OUTPUT_FPS, QUALITY_PROFILES, type PictureSize } from './output-format';
import { videoEncoderArgs, type VideoEncoderName } from './video-encoders';
import { buildTeeSpec } from './tee-spec';

/**
 * Pure: the argument list (after the binary) of a stream's one encoder. It reads the FLV the output
 * clock writes on its stdin (already restamped: monotonic, continuous, slate and silence filled in)
 * and writes, from ONE encode (tee), HLS to `hlsDir` and the clean FLV on stdout, which the agent
 * fans out to the destinations. Progress goes to file descriptor 3.
 *
 * Clean means: constant 30 fps, a closed GOP with an IDR every 2 s exactly, monotonic timestamps,
 * H.264 High at a level every platform takes, AAC 48 kHz stereo, a capped bitrate, one picture size
 * for the life of the stream (a different input size is scaled and padded into it).
 */

export interface EncoderArgsInput {
  /** Absolute directory for index.m3u8 and its segments. */
  hlsDir: string;
  quality: StreamQuality;
  size: PictureSize;
  /**
   * Where this encoder's first input sits on the stream's clock (ms). FFmpeg starts its output at
   * zero; the offset puts it back on the stream's clock, so a restarted encoder continues forwards.
   */
  startMs: number;
  /** libx264 unless the relay found a working hardware encoder (encoder-detection.ts). */
  videoEncoder?: VideoEncoderName;
}

export const HLS_PLAYLIST = 'index.m3u8';
export const HLS_LIST_SIZE = 6;
/** The output clock writes both streams from the start: probing ends as soon as it has seen them. */
export const ENCODER_MAX_PROBE_MS = 2000;

export function buildEncoderArgs(input: EncoderArgsInput): string[] {
  const profile = QUALITY_PROFILES[input.quality];
  const hlsDir = checkHlsDir(input.hlsDir);
  const { width, height } = checkSize(input.size);
  const video = videoEncoderArgs(input.videoEncoder ?? 'libx264', profile);
  return [
    ...FFMPEG_GLOBAL_OPTIONS,
    ...video.deviceArgs,
    ...FLV_STDIN_INPUT,
    ...['-map', '0:v:0', '-map', '0:a:0'],
    ...[
      '-vf',
      `scale=w=${width}:h=${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1${video.filterSuffix}`,
    ],
    // CFR at 30 fps by duplicating/dropping frames (counted as dup_frames/drop_frames in -progress).
    ...['-r', String(OUTPUT_FPS), '-fps_mode', 'cfr'],
    ...video.codecArgs,
    ...AUDIO_ENCODE,
    ...['-output_ts_offset', (Math.max(0, input.startMs) / 1000).toFixed(3)],
    // tee is not a global-header format, but its FLV slave needs the SPS/PPS as extradata
    // (HLS still gets them in-band: the MPEG-TS muxer inserts them before every IDR).
    ...['-flags', '+global_header', '-f', 'tee', teeOutputs(hlsDir)],
  ];
}

/**
 * Pure: the arguments of a stream's copy (passthrough): the same input, HLS and FLV outputs as the
 * encode, with the glasses' pictures copied as they are. Their sound is copied too when it is in the
 * encode's format already; else it is encoded into it (about 2 % of a core, measured), so a switch
 * between copy and encode never changes the sound's format at the destinations.
 */
export function buildCopyArgs(input: Omit<EncoderArgsInput, 'quality' | 'size'> & { copyAudio: boolean }): string[] {
  return [
    ...FFMPEG_GLOBAL_OPTIONS,
    ...FLV_STDIN_INPUT,
    ...['-map', '0:v:0', '-map', '0:a:0', '-c:v', 'copy'],
    ...(input.copyAudio ? ['-c:a', 'copy'] : AUDIO_ENCODE),
    ...['-output_ts_offset', (Math.max(0, input.startMs) / 1000).toFixed(3)],
    ...['-f', 'tee', teeOutputs(checkHlsDir(input.hlsDir))],
  ];
}

/** The input's sound is continuous already; small steps at a source switch are resampled away. */
const AUDIO_ENCODE = [
  ...['-af', 'aresample=async=1', '-c:a', 'aac', '-b:a', `${AUDIO.kbps}k`],
  ...['-ar', String(AUDIO.sampleRate), '-ac', String(AUDIO.channels)],
];

/** Quiet, no keyboard, progress on file descriptor 3. */
const FFMPEG_GLOBAL_OPTIONS = [
  ...['-hide_banner', '-nostdin', '-loglevel', 'warning', '-nostats', '-progress', 'pipe:3', '-stats_period', '0.5'],
];

/** The output clock's FLV on stdin. */
const FLV_STDIN_INPUT = [
  ...['-f', 'flv', '-fpsprobesize', '0', '-analyzeduration', String(ENCODER_MAX_PROBE_MS * 1000), '-probesize', '2000000'],
  ...['-i', 'pipe:0'],
];

function teeOutputs(hlsDir: string): string {
  return buildTeeSpec([
    {
      options: {
        f: 'hls',
        // A failing HLS writer (disk full) must not take the platforms down with it.
        onfail: 'ignore',
        hls_time: String(KEYFRAME_INTERVAL_SEC),
        hls_list_size: String(HLS_LIST_SIZE),
        // append_list: a restarted encoder continues the playlist (its timestamps continue too).
        // omit_endlist: an encoder replaced by a copy (or the other way) must not end the playlist
        // for players; the stream's end is written by the pipeline.
        hls_flags: 'delete_segments+independent_segments+append_list+omit_endlist',
        hls_start_number_source: 'epoch',
        hls_segment_filename: `${hlsDir}/segment_%d.ts`,
      },
      target: `${hlsDir}/${HLS_PLAYLIST}`,
    },
    { options: { f: 'flv', onfail: 'abort', flvflags: 'no_duration_filesize' }, target: 'pipe:1' },
  ]);
}

function checkSize(size: PictureSize): PictureSize {
  const ok = (n: number) => Number.isInteger(n) && n >= 16 && n <= 4096 && n % 2 === 0;
  if (!ok(size.width) || !ok(size.height))
    throw new RangeError(`output size must be even, 16-4096: ${size.width}x${size.height}`);
  return size;
}

function checkHlsDir(dir: string): string {
  // `%` would be read as part of the segment number pattern.
  if (!isAbsolute(dir) || dir.includes('%') || [...dir].some((c) => c.charCodeAt(0) < 0x20)) {
    throw new RangeError(`hlsDir must be an absolute path without "%" or control characters: ${dir}`);
  }
  return dir.replace(/\/+$/, '') || '/';
}
