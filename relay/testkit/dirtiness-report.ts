import type { ProbeResult } from './ffprobe-json';
import {
  continuousTimeline,
  discontinuities,
  fpsPerSecond,
  keyframeIntervals,
  range,
  steps,
  streamOf,
  type Range,
  type TimestampStep,
} from './packet-timeline';

/**
 * Pure: measures how dirty a stream is, so the generator can prove it produces what it claims.
 * Rate and keyframe spacing are measured on the continuous timeline (jumps taken out), otherwise
 * every jump would also count as a giant frame or GOP.
 */

export const JUMP_THRESHOLD_MS = 1000;

export interface DirtinessReport {
  videoFrames: number;
  /** Frames in each full second. */
  fps?: Range;
  frameStepMs?: Range;
  keyframes: number;
  keyframeIntervalMs?: Range;
  video: JumpSummary;
  audio?: JumpSummary;
  /** Which defects were observed. */
  defects: {
    wanderingFps: boolean;
    keyframesUnder100Ms: boolean;
    keyframeGapOver5s: boolean;
    forwardJump: boolean;
    backwardJump: boolean;
    frozenTimestamps: boolean;
  };
}

export interface JumpSummary {
  forwardJumps: TimestampStep[];
  backwardJumps: TimestampStep[];
  /** Steps of zero; a run of them is what FFmpeg's muxer makes of a backward jump. */
  frozenSteps: number;
}

export function measureDirtiness(probe: ProbeResult, jumpThresholdMs = JUMP_THRESHOLD_MS): DirtinessReport {
  const video = streamOf(probe, 'video');
  const audio = streamOf(probe, 'audio');
  const videoTimes = video?.packets.map((p) => p.tMs) ?? [];
  const timeline = continuousTimeline(videoTimes, jumpThresholdMs);
  const fps = range(fpsPerSecond(timeline));
  const keyIntervals = video ? keyframeIntervals(video.packets, timeline) : [];
  const keyframeIntervalMs = range(keyIntervals);
  const normalSteps = steps(videoTimes)
    .map((s) => s.deltaMs)
    .filter((d) => d > 0 && d <= jumpThresholdMs);
  const videoJumps = summarizeJumps(videoTimes, jumpThresholdMs);
  const audioJumps = audio
    ? summarizeJumps(
        audio.packets.map((p) => p.tMs),
        jumpThresholdMs,
      )
    : undefined;
  return {
    videoFrames: videoTimes.length,
    fps,
    frameStepMs: range(normalSteps),
    keyframes: video?.packets.filter((p) => p.keyframe).length ?? 0,
    keyframeIntervalMs,
    video: videoJumps,
    audio: audioJumps,
    defects: {
      wanderingFps: fps !== undefined && fps.max - fps.min >= 3,
      keyframesUnder100Ms: keyframeIntervalMs !== undefined && keyframeIntervalMs.min < 100,
      keyframeGapOver5s: keyframeIntervalMs !== undefined && keyframeIntervalMs.max > 5000,
      forwardJump: videoJumps.forwardJumps.length > 0,
      backwardJump: videoJumps.backwardJumps.length > 0,
      frozenTimestamps: videoJumps.frozenSteps > 0,
    },
  };
}

function summarizeJumps(times: readonly number[], jumpThresholdMs: number): JumpSummary {
  const d = discontinuities(times, jumpThresholdMs);
  return { forwardJumps: d.forward, backwardJumps: d.backward, frozenSteps: d.frozen.length };
}

export function formatDirtiness(report: DirtinessReport): string {
  const r = (x: Range | undefined, unit = ''): string => (x ? `${round(x.min)}-${round(x.max)}${unit}` : 'n/a');
  const jumps = (j: JumpSummary | undefined): string =>
    j
      ? `forward [${j.forwardJumps.map((s) => `+${round(s.deltaMs)} ms @${round(s.fromMs)}`).join(', ')}], ` +
        `backward [${j.backwardJumps.map((s) => `${round(s.deltaMs)} ms @${round(s.fromMs)}`).join(', ')}], ` +
        `${j.frozenSteps} frozen steps`
      : 'n/a';
  const defects = Object.entries(report.defects)
    .filter(([, present]) => present)
    .map(([name]) => name);
  return [
    `video: ${report.videoFrames} frames, ${r(report.fps, ' fps')} per second, frame step ${r(report.frameStepMs, ' ms')}`,
    `keyframes: ${report.keyframes}, interval ${r(report.keyframeIntervalMs, ' ms')}`,
    `video timestamps: ${jumps(report.video)}`,
    `audio timestamps: ${jumps(report.audio)}`,
    `defects: ${defects.join(', ') || 'none'}`,
  ].join('\n');
}

function round(value: number): number {
  return Math.round(value);
}
