import { seededRandom, type SeededRandom } from './seeded-random';
import {
  AUDIO_FORMATS,
  insideAny,
  normalizeShape,
  planSessions,
  sessionAt,
  type AudioFormat,
  type PublishSession,
  type ShapeOptions,
  type StreamShape,
  type VideoSize,
} from './stream-shape';

/**
 * Pure description of a dirty glasses stream: when each frame is sent (wall clock), what timestamp it
 * carries (the device clock, which jumps), and which frames are keyframes. Nothing here touches FFmpeg.
 *
 * Every episode (20 s, or the whole stream when shorter) holds each defect at least once:
 * a keyframe pair 70 ms apart, a keyframe gap over 5 s, a forward clock jump, and (unless disabled)
 * a backward one. Frame rate wanders in 9-15 fps segments of ~1 s with per-frame jitter.
 * Shape options (stream-shape.ts) change the rest: size, constant fps, audio format or none, audio
 * before video, audio pauses, size changes, publisher drops. Without them the plan is what it always was.
 */

export const SHORT_KEYFRAME_GAP_MS = 70;
export const LONG_KEYFRAME_GAP_MIN_MS = 5200;
export const MIN_PLAN_DURATION_SEC = 10;
export const FPS_RANGE = { min: 9, max: 15 } as const;
const EPISODE_MS = 20_000;
const FRAME_JITTER = 0.15;

export const PLAN_AUDIO: AudioFormat = AUDIO_FORMATS.mono44;

export interface FpsSegment {
  startMs: number;
  endMs: number;
  fps: number;
}

export interface PlannedFrame {
  index: number;
  /** When the glasses send it, ms after the stream starts. */
  wallMs: number;
  /** The timestamp it carries (device clock, in ms). */
  dtsMs: number;
  keyframe: boolean;
}

/** From `atWallMs` on, every timestamp (video and audio) is shifted by a further `deltaMs`. */
export interface TimestampJump {
  atWallMs: number;
  deltaMs: number;
}

export interface PlannedAudioFrame {
  index: number;
  wallMs: number;
  dtsMs: number;
}

/** Frames rendered by one encoder at one size: a resize starts a new segment (and a new sequence header). */
export interface VideoSegment {
  firstFrame: number;
  frameCount: number;
  size: VideoSize;
}

export interface DirtyStreamPlan {
  seed: number;
  durationMs: number;
  fpsSegments: FpsSegment[];
  frames: PlannedFrame[];
  /** The jumps that happen (with drops and a restarting clock, those while away or below 0 are left out). */
  jumps: TimestampJump[];
  /** null: no audio track at all. */
  audio: AudioFormat | null;
  shape: StreamShape;
  /** One per RTMP connection; a single one unless the shape has drops. */
  sessions: PublishSession[];
  videoSegments: VideoSegment[];
}

export interface PlanOptions extends ShapeOptions {
  /** Default true. A backward jump only reaches a server intact through the node publisher. */
  backwardJumps?: boolean;
}

export function planDirtyStream(seed: number, durationSec: number, options: PlanOptions = {}): DirtyStreamPlan {
  if (!(durationSec >= MIN_PLAN_DURATION_SEC)) {
    throw new RangeError(`duration must be at least ${MIN_PLAN_DURATION_SEC} s to hold every defect, got ${durationSec}`);
  }
  const durationMs = Math.round(durationSec * 1000);
  const shape = normalizeShape(options, durationMs);
  const rng = seededRandom(seed);
  const episodes = splitIntoEpisodes(durationMs);
  // A constant rate draws nothing here, so the default (wandering) plan keeps its random sequence.
  const fpsSegments =
    shape.fps === 'wander' ? planFpsSegments(rng, durationMs) : [{ startMs: 0, endMs: durationMs, fps: shape.fps }];
  const keyframeGaps = episodes.flatMap((e) => planEpisodeKeyframeGaps(rng, e.lengthMs));
  const planned = episodes.flatMap((e) => planEpisodeJumps(rng, e, options.backwardJumps ?? true));
  const { sessions, jumps } = planClock(planned, shape, durationMs);
  const clock = { sessions, jumps };
  const frames = walkFrames(rng, durationMs, fpsSegments, keyframeGaps, shape, (wallMs) => deviceClockAt(clock, wallMs));
  const videoSegments = planVideoSegments(frames, shape);
  return { seed, durationMs, fpsSegments, frames, jumps, audio: shape.audio, shape, sessions, videoSegments };
}

/** Sum of the jumps that have happened by `wallMs`. */
export function clockOffsetAt(jumps: readonly TimestampJump[], wallMs: number): number {
  return jumps.reduce((sum, j) => (wallMs >= j.atWallMs ? sum + j.deltaMs : sum), 0);
}

/**
 * The timestamp the glasses put on something sent at `wallMs`: the session's clock at its start, plus
 * the wall time since, plus the jumps since. Without drops: `wallMs + clockOffsetAt(jumps, wallMs)`.
 */
export function deviceClockAt(plan: Pick<DirtyStreamPlan, 'sessions' | 'jumps'>, wallMs: number): number {
  const session = [...plan.sessions].reverse().find((s) => wallMs >= s.startWallMs) ?? plan.sessions[0];
  const jumped = plan.jumps.reduce(
    (sum, j) => (j.atWallMs > session.startWallMs && j.atWallMs <= wallMs ? sum + j.deltaMs : sum),
    0,
  );
  return session.clockAtStartMs + Math.round(wallMs - session.startWallMs) + jumped;
}

/**
 * AAC frames (1024 samples) on the audio clock, stamped with the same jumping device clock as video.
 * `index` counts frames on the continuous audio clock, so it also picks the rendered frame; frames
 * while the publisher is away or audio pauses are left out.
 */
export function plannedAudioFrames(plan: DirtyStreamPlan): PlannedAudioFrame[] {
  const audio = plan.audio;
  if (!audio) return [];
  const frameMs = (audio.samplesPerFrame * 1000) / audio.sampleRate;
  const count = Math.floor(plan.durationMs / frameMs);
  const frames: PlannedAudioFrame[] = [];
  for (let index = 0; index < count; index++) {
    const wallMs = index * frameMs;
    if (!sessionAt(plan.sessions, wallMs) || insideAny(plan.shape.audioPauses, wallMs)) continue;
    frames.push({ index, wallMs, dtsMs: deviceClockAt(plan, wallMs) });
  }
  return frames;
}

/**
 * Sessions and the jumps that apply. A clock that keeps running through a drop keeps every jump; a
 * restarting one starts each session at 0, loses the jumps made while away, and leaves out a backward
 * jump that would take it below 0 (the glasses' clock never goes negative).
 */
function planClock(
  planned: readonly TimestampJump[],
  shape: StreamShape,
  durationMs: number,
): { sessions: PublishSession[]; jumps: TimestampJump[] } {
  const base = planSessions(shape.drops, durationMs);
  if (shape.clockAfterDrop === 'continue') {
    const sessions = base.map((s) => ({ ...s, clockAtStartMs: s.startWallMs + clockOffsetAt(planned, s.startWallMs) }));
    return { sessions, jumps: [...planned] };
  }
  const jumps: TimestampJump[] = [];
  for (const s of base) {
    let offset = 0;
    for (const j of planned.filter((j) => j.atWallMs > s.startWallMs && j.atWallMs < s.endWallMs)) {
      if (j.atWallMs - s.startWallMs + offset + j.deltaMs < 0) continue;
      offset += j.deltaMs;
      jumps.push(j);
    }
  }
  return { sessions: base.map((s) => ({ ...s, clockAtStartMs: 0 })), jumps };
}

/** A resize takes effect at the first frame at or after its time; two landing on one frame: the last wins. */
function planVideoSegments(frames: readonly PlannedFrame[], shape: StreamShape): VideoSegment[] {
  const starts = new Map<number, VideoSize>([[0, shape.size]]);
  for (const r of shape.resizes) {
    const first = frames.find((f) => f.wallMs >= r.atWallMs);
    if (first) starts.set(first.index, r.size);
  }
  const ordered = [...starts.entries()].sort((a, b) => a[0] - b[0]);
  return ordered.map(([firstFrame, size], i) => ({
    firstFrame,
    frameCount: (i + 1 < ordered.length ? ordered[i + 1][0] : frames.length) - firstFrame,
    size,
  }));
}

interface Episode {
  startMs: number;
  lengthMs: number;
}

function splitIntoEpisodes(durationMs: number): Episode[] {
  const count = Math.max(1, Math.floor(durationMs / EPISODE_MS));
  const lengthMs = durationMs / count;
  return Array.from({ length: count }, (_, i) => ({ startMs: i * lengthMs, lengthMs }));
}

/**
 * A random walk over [9, 15] fps in ~1 s segments; within every run of 8 segments the slowest is
 * pushed under 10 fps and the fastest over 14, so even a short stream spans (nearly) the whole range.
 */
function planFpsSegments(rng: SeededRandom, durationMs: number): FpsSegment[] {
  const segments: FpsSegment[] = [];
  let fps = round1(rng.between(FPS_RANGE.min, FPS_RANGE.max));
  for (let startMs = 0; startMs < durationMs;) {
    const endMs = Math.min(durationMs, startMs + Math.round(rng.between(700, 1500)));
    segments.push({ startMs, endMs, fps });
    fps = round1(clamp(fps + rng.between(-3, 3), FPS_RANGE.min, FPS_RANGE.max));
    startMs = endMs;
  }
  for (let i = 0; i + 1 < segments.length; i += 8) {
    const run = segments.slice(i, i + 8);
    const slowest = run.reduce((a, b) => (b.fps < a.fps ? b : a));
    const fastest = run.reduce((a, b) => (b.fps > a.fps ? b : a));
    slowest.fps = round1(rng.between(FPS_RANGE.min, 9.9));
    if (fastest !== slowest) fastest.fps = round1(rng.between(14.1, FPS_RANGE.max));
  }
  return segments;
}

/**
 * Gaps between consecutive keyframes, in order. The long gap is bounded so that the keyframe closing
 * it still falls inside a 10 s episode even after each keyframe slips to the next frame (up to ~130 ms).
 */
function planEpisodeKeyframeGaps(rng: SeededRandom, lengthMs: number): number[] {
  const lead = rng.between(800, 1600);
  const long = rng.between(LONG_KEYFRAME_GAP_MIN_MS, Math.min(7500, lengthMs - 4000));
  const mid = rng.between(800, 1600);
  const features = rng.chance(0.5) ? [SHORT_KEYFRAME_GAP_MS, mid, long] : [long, mid, SHORT_KEYFRAME_GAP_MS];
  const gaps = [lead, ...features];
  for (let used = sum(gaps); used < lengthMs;) {
    const gap = rng.between(500, 3000);
    gaps.push(gap);
    used += gap;
  }
  return gaps.map(Math.round);
}

/** Backward jumps stay smaller than the forward one so the device clock never goes below zero. */
function planEpisodeJumps(rng: SeededRandom, episode: Episode, backward: boolean): TimestampJump[] {
  const { startMs, lengthMs } = episode;
  const forwardMs = Math.round(rng.between(2000, 4000));
  const jumps: TimestampJump[] = [{ atWallMs: Math.round(startMs + rng.between(0.25, 0.45) * lengthMs), deltaMs: forwardMs }];
  const backwardAt = Math.round(startMs + rng.between(0.6, 0.85) * lengthMs);
  const backwardMs = Math.round(rng.between(1500, forwardMs - 500));
  if (backward) jumps.push({ atWallMs: backwardAt, deltaMs: -backwardMs });
  return jumps;
}

/**
 * Walks the wall clock frame by frame. Time is kept unrounded so a constant rate (e.g. 60 fps) does
 * not drift; the wandering rate only ever adds whole milliseconds. Video starts after an audio-only
 * lead, skips the drops, and the first frame after a return or at a resize is a keyframe.
 */
function walkFrames(
  rng: SeededRandom,
  durationMs: number,
  segments: readonly FpsSegment[],
  keyframeGaps: readonly number[],
  shape: StreamShape,
  clock: (wallMs: number) => number,
): PlannedFrame[] {
  const frames: PlannedFrame[] = [];
  const gaps = [...keyframeGaps];
  const resizeTimes = shape.resizes.map((r) => r.atWallMs);
  let nextKeyAt = shape.videoStartMs;
  let forceKey = false;
  for (let t = shape.videoStartMs; Math.round(t) < durationMs;) {
    const drop = shape.drops.find((d) => t >= d.atWallMs && t < d.returnWallMs);
    if (drop) {
      t = drop.returnWallMs;
      forceKey = true;
      continue;
    }
    const wallMs = Math.round(t);
    const fps = segments.find((s) => wallMs < s.endMs)?.fps ?? FPS_RANGE.min;
    let intervalMs =
      shape.fps === 'wander' ? Math.round((1000 / fps) * rng.between(1 - FRAME_JITTER, 1 + FRAME_JITTER)) : 1000 / shape.fps;
    const resized = resizeTimes.length > 0 && wallMs >= resizeTimes[0];
    while (resizeTimes.length > 0 && wallMs >= resizeTimes[0]) resizeTimes.shift();
    const keyframe = forceKey || wallMs >= nextKeyAt || resized;
    forceKey = false;
    if (keyframe) {
      const gap = gaps.shift() ?? Math.round(rng.between(500, 3000));
      if (gap === SHORT_KEYFRAME_GAP_MS) {
        intervalMs = SHORT_KEYFRAME_GAP_MS;
        forceKey = true;
      } else {
        nextKeyAt = wallMs + gap;
      }
    }
    frames.push({ index: frames.length, wallMs, dtsMs: clock(wallMs), keyframe });
    t += intervalMs;
  }
  return frames;
}

export interface PlanSummary {
  frameCount: number;
  keyframeCount: number;
  fps: { min: number; max: number };
  frameIntervalMs: { min: number; max: number };
  /** On the wall clock, i.e. what a viewer waits between keyframes. */
  keyframeGapMs: { min: number; max: number };
  forwardJumpsMs: number[];
  backwardJumpsMs: number[];
}

export function summarizePlan(plan: DirtyStreamPlan): PlanSummary {
  const keyWalls = plan.frames.filter((f) => f.keyframe).map((f) => f.wallMs);
  const keyGaps = diffs(keyWalls);
  const intervals = diffs(plan.frames.map((f) => f.wallMs));
  const fps = plan.fpsSegments.map((s) => s.fps);
  return {
    frameCount: plan.frames.length,
    keyframeCount: keyWalls.length,
    fps: { min: Math.min(...fps), max: Math.max(...fps) },
    frameIntervalMs: { min: Math.min(...intervals), max: Math.max(...intervals) },
    keyframeGapMs: { min: Math.min(...keyGaps), max: Math.max(...keyGaps) },
    forwardJumpsMs: plan.jumps.filter((j) => j.deltaMs > 0).map((j) => j.deltaMs),
    backwardJumpsMs: plan.jumps.filter((j) => j.deltaMs < 0).map((j) => j.deltaMs),
  };
}

function diffs(values: readonly number[]): number[] {
  return values.slice(1).map((v, i) => v - values[i]);
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
