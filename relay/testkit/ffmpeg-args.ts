import type { DirtyStreamPlan } from './dirty-stream-plan';
import { DEFAULT_VIDEO_SIZE, formatVideoSize, type AudioFormat, type VideoSize } from './stream-shape';

/** Pure FFmpeg argument lists for the test kit. */

/**
 * The render is stamped at a nominal 10 fps (n / 10 s is exact in decimal, so the forced-keyframe
 * time list hits the intended frame indices exactly); the timeline re-stamps every frame afterwards.
 */
export const RENDER_FPS = 10;
export const VIDEO_SIZE = formatVideoSize(DEFAULT_VIDEO_SIZE);

export interface RenderOptions {
  /** A TTF for the burned-in frame counter; without one the counter is left out. */
  fontFile?: string;
}

/**
 * One FFmpeg render: the frames of one video segment (one size, one encoder, so one sequence header)
 * and, with the first segment, the whole stream's audio (the audio clock never restarts). `-frames:v`
 * ends the whole output, so when the first segment is too short to carry all the audio (a resize, a
 * drop, an audio-only lead) the audio gets a render of its own (`frameCount` 0), after the video ones.
 */
export interface RenderJob {
  seed: number;
  size: VideoSize;
  /** 0: an audio-only render. */
  frameCount: number;
  /** Indices within this render. */
  keyframeIndices: number[];
  /** Number of the render's first frame in the stream, for the burned-in counter. */
  firstFrame: number;
  audio: AudioFormat | null;
  audioSeconds: number;
}

export function renderJobs(plan: DirtyStreamPlan): RenderJob[] {
  const audioSeconds = plan.durationMs / 1000 + 1;
  const audioWithFirst = plan.videoSegments[0].frameCount / RENDER_FPS >= audioSeconds;
  const video = plan.videoSegments.map((segment, i): RenderJob => {
    const frames = plan.frames.slice(segment.firstFrame, segment.firstFrame + segment.frameCount);
    return {
      seed: plan.seed,
      size: segment.size,
      frameCount: segment.frameCount,
      keyframeIndices: frames.filter((f) => f.keyframe).map((f) => f.index - segment.firstFrame),
      firstFrame: segment.firstFrame,
      audio: i === 0 && audioWithFirst ? plan.audio : null,
      audioSeconds,
    };
  });
  if (!plan.audio || audioWithFirst) return video;
  const audioOnly = { ...video[0], frameCount: 0, keyframeIndices: [], firstFrame: 0, audio: plan.audio };
  return [...video, audioOnly];
}

/** The single render of a plan without resizes (what every plan was before shapes). */
export function renderArgs(plan: DirtyStreamPlan, outPath: string, options: RenderOptions = {}): string[] {
  const jobs = renderJobs(plan);
  if (jobs.length !== 1) throw new RangeError(`the plan needs ${jobs.length} renders: use renderJobs`);
  return renderJobArgs(jobs[0], outPath, options);
}

export function renderJobArgs(job: RenderJob, outPath: string, options: RenderOptions = {}): string[] {
  const keyTimes = job.keyframeIndices.map((i) => (i / RENDER_FPS).toFixed(1));
  const { width, height } = job.size;
  const isDefault = width === DEFAULT_VIDEO_SIZE.width && height === DEFAULT_VIDEO_SIZE.height;
  // Scaled so the counter fits a small or portrait frame; 44 px at 720p, as it always was.
  const fontSize = isDefault ? 44 : Math.max(12, Math.round(44 * Math.min(width / 1280, height / 720, 1)));
  const frameNumber = job.firstFrame === 0 ? '%{frame_num}' : `%{eif\\:n+${job.firstFrame}\\:d}`; // colons escaped for drawtext's option parser
  const counter = options.fontFile
    ? `,drawtext=fontfile=${escapeFilterValue(options.fontFile)}:fontsize=${fontSize}:fontcolor=white:box=1:boxcolor=black@0.6` +
      `:x=${Math.round(fontSize * 0.9)}:y=${Math.round(fontSize * 0.9)}:text='glasses seed ${job.seed}  frame ${frameNumber}'`
    : '';
  const audio = job.audio;
  const video = job.frameCount > 0;
  return [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
    ...(video ? ['-f', 'lavfi', '-i', `testsrc2=size=${formatVideoSize(job.size)}:rate=${RENDER_FPS}${counter}`] : []),
    ...(audio
      ? [
          ...['-f', 'lavfi', '-i'],
          `sine=frequency=440:beep_factor=4:sample_rate=${audio.sampleRate}:duration=${job.audioSeconds.toFixed(3)}`,
        ]
      : []),
    ...(video ? ['-map', '0:v'] : []),
    ...(audio ? ['-map', `${video ? 1 : 0}:a`] : []),
    ...(video
      ? [
          ...['-frames:v', String(job.frameCount)],
          // Glasses-like H.264: Constrained Baseline, no B-frames, keyframes only where the plan puts them.
          ...['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p'],
          ...['-x264-params', 'keyint=infinite:scenecut=0:bframes=0', '-b:v', '1200k'],
          ...['-force_key_frames', keyTimes.join(',')],
        ]
      : []),
    ...(audio ? ['-c:a', 'aac', '-b:a', '64k', '-ac', String(audio.channels), '-ar', String(audio.sampleRate)] : []),
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
