import type { DirtyStreamPlan } from './dirty-stream-plan';

/** Pure FFmpeg argument lists for the test kit. */

/**
 * The render is stamped at a nominal 10 fps (n / 10 s is exact in decimal, so the forced-keyframe
 * time list hits the intended frame indices exactly); the timeline re-stamps every frame afterwards.
 */
export const RENDER_FPS = 10;
export const VIDEO_SIZE = '1280x720';

export interface RenderOptions {
  /** A TTF for the burned-in frame counter; without one the counter is left out. */
  fontFile?: string;
}

export function renderArgs(plan: DirtyStreamPlan, outPath: string, options: RenderOptions = {}): string[] {
  const frames = plan.frames.length;
  const keyTimes = plan.frames.filter((f) => f.keyframe).map((f) => (f.index / RENDER_FPS).toFixed(1));
  const audioSeconds = (plan.durationMs / 1000 + 1).toFixed(3);
  const counter = options.fontFile
    ? `,drawtext=fontfile=${escapeFilterValue(options.fontFile)}:fontsize=44:fontcolor=white:box=1:boxcolor=black@0.6` +
      `:x=40:y=40:text='glasses seed ${plan.seed}  frame %{frame_num}'`
    : '';
  return [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=${VIDEO_SIZE}:rate=${RENDER_FPS}${counter}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:beep_factor=4:sample_rate=${plan.audio.sampleRate}:duration=${audioSeconds}`],
    ...['-map', '0:v', '-map', '1:a', '-frames:v', String(frames)],
    // Glasses-like H.264: Constrained Baseline, no B-frames, keyframes only where the plan puts them.
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p'],
    ...['-x264-params', 'keyint=infinite:scenecut=0:bframes=0', '-b:v', '1200k'],
    ...['-force_key_frames', keyTimes.join(',')],
    ...['-c:a', 'aac', '-b:a', '64k', '-ac', String(plan.audio.channels), '-ar', String(plan.audio.sampleRate)],
    ...['-f', 'flv', '-flvflags', 'no_duration_filesize', outPath],
  ];
}

/** Publishes FLV read from stdin without touching it (the Node side does the pacing). */
export function copyPublishArgs(rtmpUrl: string): string[] {
  return [
    ...['-hide_banner', '-nostdin', '-loglevel', 'warning'],
    // Small probe: stream parameters come from the FLV sequence headers, and a long probe only delays start-up.
    ...['-probesize', '65536', '-analyzeduration', '500000', '-f', 'flv', '-i', 'pipe:0'],
    ...['-map', '0', '-c', 'copy', '-f', 'flv', rtmpUrl],
  ];
}

/** What the benchmark does with a pre-recorded dirty file: paced by its own timestamps. */
export function replayFileArgs(flvPath: string, rtmpUrl: string): string[] {
  return ['-hide_banner', '-nostdin', '-loglevel', 'warning', '-re', '-i', flvPath, '-c', 'copy', '-f', 'flv', rtmpUrl];
}

export interface CleanEncodeOutput {
  format: 'flv' | 'hls';
  /** rtmp:// URL or file path for flv; playlist path for hls. */
  target: string;
}

/**
 * A reference clean encode: CFR 30 fps, IDR every 60 frames (2 s), AAC 48 kHz stereo resampled onto
 * its own clock (aresample=async=1) because packet timestamps from the glasses cannot be trusted.
 * Several outputs share one encode through the tee muxer.
 */
export function cleanEncodeArgs(
  input: string,
  outputs: readonly CleanEncodeOutput[],
  options: { live?: boolean } = {},
): string[] {
  if (outputs.length === 0) throw new RangeError('at least one output');
  const inputArgs = options.live
    ? // nginx-rtmp keeps a player waiting forever once the publisher leaves; FFmpeg sits out the
      // read timeout about three times (once per decoder flush) before it exits, so keep it short.
      // No short -analyzeduration: a player joining mid-GOP gets no video from nginx-rtmp until the
      // next keyframe (5+ s away in a dirty stream), and FFmpeg would conclude there is no video.
      ['-rw_timeout', '2000000', '-i', input]
    : ['-re', '-i', input];
  const encode = [
    ...['-map', '0:v:0', '-map', '0:a:0'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-level:v', '4.1', '-pix_fmt', 'yuv420p'],
    ...['-r', '30', '-fps_mode', 'cfr', '-g', '60', '-keyint_min', '60', '-sc_threshold', '0'],
    ...['-b:v', '2500k', '-maxrate', '2500k', '-bufsize', '5000k'],
    ...['-af', 'aresample=async=1', '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2'],
  ];
  const outputArgs =
    outputs.length === 1
      ? singleOutputArgs(outputs[0])
      : ['-flags', '+global_header', '-f', 'tee', outputs.map(teeSlave).join('|')];
  return ['-hide_banner', '-nostdin', '-loglevel', 'warning', ...inputArgs, ...encode, ...outputArgs];
}

function singleOutputArgs(output: CleanEncodeOutput): string[] {
  return output.format === 'flv'
    ? ['-f', 'flv', output.target]
    : ['-f', 'hls', '-hls_time', '2', '-hls_list_size', '0', output.target];
}

function teeSlave(output: CleanEncodeOutput): string {
  const options = output.format === 'flv' ? 'f=flv:onfail=ignore' : 'f=hls:hls_time=2:hls_list_size=0';
  return `[${options}]${output.target}`;
}

/** Escapes a value for use inside an FFmpeg filter graph option (`:`, `\`, `'`, `,`). */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\':,]/g, (c) => `\\${c}`);
}

/**
 * ffprobe over the first `seconds` of packet timestamps. Network sources get a read timeout so a
 * stalled server (nginx-rtmp keeps players waiting after the publisher leaves) ends the probe.
 */
export function probeArgs(source: string, seconds: number, readTimeoutMs = 5000): string[] {
  const network = /^(rtmps?|https?|rtsp|srt):\/\//i.test(source);
  const hls = /\.m3u8(\?.*)?$/i.test(source);
  return [
    ...['-hide_banner', '-loglevel', 'error'],
    ...(network ? ['-rw_timeout', String(readTimeoutMs * 1000)] : []),
    // A playlist without #EXT-X-ENDLIST is live: start at its first segment, and give up after a few
    // reloads bring nothing new (the default is 1000 reloads, i.e. forever for a dead local playlist).
    ...(hls ? ['-live_start_index', '0', '-m3u8_hold_counters', '3'] : []),
    ...['-read_intervals', `%+${seconds}`, '-show_packets', '-show_streams', '-of', 'json', source],
  ];
}
