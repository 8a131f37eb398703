import type { ProbedPacket, ProbeResult, ProbedStream } from './ffprobe-json';

/** Pure measurements over a probed packet list, shared by the cleanliness checker and the dirtiness report. */

export type MediaKind = 'video' | 'audio';

export interface StreamPackets {
  stream: ProbedStream;
  /** In decode order, only packets carrying a timestamp. */
  packets: TimedPacket[];
}

export interface TimedPacket extends ProbedPacket {
  /** DTS, or PTS when the container gave no DTS. */
  tMs: number;
}

export interface TimestampStep {
  /** Index (in StreamPackets.packets) of the packet after the step. */
  index: number;
  fromMs: number;
  toMs: number;
  deltaMs: number;
}

export interface Range {
  min: number;
  max: number;
}

/** The first stream of a kind, with its timestamped packets. */
export function streamOf(probe: ProbeResult, kind: MediaKind): StreamPackets | undefined {
  const stream = probe.streams.find((s) => s.codecType === kind);
  if (!stream) return undefined;
  const packets = probe.packets
    .filter((p) => p.streamIndex === stream.index)
    .flatMap((p): TimedPacket[] => {
      const tMs = p.dtsMs ?? p.ptsMs;
      return tMs === undefined ? [] : [{ ...p, tMs }];
    });
  return { stream, packets };
}

export function steps(times: readonly number[]): TimestampStep[] {
  return times.slice(1).map((toMs, i) => ({ index: i + 1, fromMs: times[i], toMs, deltaMs: toMs - times[i] }));
}

export function range(values: readonly number[]): Range | undefined {
  if (values.length === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function standardDeviation(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
}

export interface Discontinuities {
  /** Steps forward by more than the jump threshold. */
  forward: TimestampStep[];
  /** Steps back in time. */
  backward: TimestampStep[];
  /** Steps of exactly zero (FFmpeg's muxer "fixes" a backward jump into a run of these). */
  frozen: TimestampStep[];
}

export function discontinuities(times: readonly number[], jumpThresholdMs: number): Discontinuities {
  const all = steps(times);
  return {
    forward: all.filter((s) => s.deltaMs > jumpThresholdMs),
    backward: all.filter((s) => s.deltaMs < 0),
    frozen: all.filter((s) => s.deltaMs === 0),
  };
}

/**
 * The timeline with discontinuities (forward jumps over the threshold, zero and backward steps)
 * replaced by the median normal step: what the stream would look like to a clock that did not jump.
 * Lets frame rate and keyframe spacing be measured across jumps.
 */
export function continuousTimeline(times: readonly number[], jumpThresholdMs: number): number[] {
  if (times.length === 0) return [];
  const isNormal = (d: number): boolean => d > 0 && d <= jumpThresholdMs;
  const normalStep =
    median(
      steps(times)
        .map((s) => s.deltaMs)
        .filter(isNormal),
    ) ?? 0;
  const out = [0];
  for (const s of steps(times)) out.push(out[out.length - 1] + (isNormal(s.deltaMs) ? s.deltaMs : normalStep));
  return out;
}

/** Frames per full one-second window along a (continuous) timeline. */
export function fpsPerSecond(timeline: readonly number[]): number[] {
  if (timeline.length === 0) return [];
  const start = timeline[0];
  const end = timeline[timeline.length - 1];
  const counts: number[] = [];
  for (let w = start; w + 1000 <= end; w += 1000) {
    counts.push(timeline.filter((t) => t >= w && t < w + 1000).length);
  }
  return counts;
}

/** Time from each keyframe to the next, measured on `timeline` (parallel to `packets`). */
export function keyframeIntervals(packets: readonly TimedPacket[], timeline: readonly number[]): number[] {
  const keyTimes = packets.flatMap((p, i) => (p.keyframe ? [timeline[i]] : []));
  return steps(keyTimes).map((s) => s.deltaMs);
}
