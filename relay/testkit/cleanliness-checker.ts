import type { ProbeResult } from './ffprobe-json';
import { median, range, standardDeviation, steps, streamOf, type StreamPackets, type TimedPacket } from './packet-timeline';

/**
 * Pure verdict on a probed packet list: is this what the relay promises to send?
 * H.264 (Main/High/Constrained Baseline, level <= 4.1) at a constant 30 fps, a closed GOP with a
 * keyframe every 2 s (+- one frame; the first GOP is ignored), monotonic timestamps, AAC audio at
 * 44.1/48 kHz without backward steps or gaps.
 */

export interface CleanlinessOptions {
  fps: number;
  /** Per-frame tolerance on the DTS step; FLV's millisecond timestamps alone make 33/34 ms steps. */
  frameStepToleranceMs: number;
  /** On the mean rate over the whole read, which per-frame tolerance cannot see (29.97 is not 30). */
  meanFpsTolerance: number;
  keyframeIntervalMs: number;
  allowedProfiles: readonly string[];
  /** level_idc, 41 = 4.1. */
  maxLevel: number;
  audioSampleRates: readonly number[];
  requireAudio: boolean;
  /** A step between audio packets longer than a packet's duration by this much is a gap. */
  maxAudioGapMs: number;
  /** How much later than video the audio may start. */
  maxAvStartOffsetMs: number;
  /** Enough video to judge at least two GOPs after the ignored first one. */
  minVideoDurationMs: number;
}

export const DEFAULT_CLEANLINESS: CleanlinessOptions = {
  fps: 30,
  frameStepToleranceMs: 2,
  meanFpsTolerance: 0.02,
  keyframeIntervalMs: 2000,
  allowedProfiles: ['Main', 'High', 'Constrained Baseline'],
  maxLevel: 41,
  audioSampleRates: [44100, 48000],
  requireAudio: true,
  maxAudioGapMs: 100,
  maxAvStartOffsetMs: 1000,
  minVideoDurationMs: 6000,
};

export type CheckId =
  | 'video.present'
  | 'video.codec'
  | 'video.cfr'
  | 'video.gop'
  | 'video.closed-gop'
  | 'video.timestamps'
  | 'audio.present'
  | 'audio.codec'
  | 'audio.timestamps'
  | 'audio.gaps'
  | 'av.start';

export interface CheckResult {
  id: CheckId;
  ok: boolean;
  detail: string;
}

export interface CleanlinessVerdict {
  clean: boolean;
  /** Details of the failed checks. */
  reasons: string[];
  checks: CheckResult[];
}

export function checkCleanliness(probe: ProbeResult, overrides: Partial<CleanlinessOptions> = {}): CleanlinessVerdict {
  const o = { ...DEFAULT_CLEANLINESS, ...overrides };
  const video = streamOf(probe, 'video');
  const audio = streamOf(probe, 'audio');
  const checks: CheckResult[] = [];
  if (!video || video.packets.length < 2) {
    checks.push(fail('video.present', 'no video stream (or fewer than 2 timestamped video packets)'));
  } else {
    checks.push(checkVideoCodec(video, o), checkCfr(video, o), checkGop(video, o), checkClosedGop(video));
    checks.push(checkTimestamps('video.timestamps', video));
  }
  if (!audio || audio.packets.length < 2) {
    if (o.requireAudio) checks.push(fail('audio.present', 'no audio stream (or fewer than 2 timestamped audio packets)'));
  } else {
    checks.push(checkAudioCodec(audio, o), checkTimestamps('audio.timestamps', audio), checkAudioGaps(audio, o));
    if (video && video.packets.length > 0) checks.push(checkAvStart(video, audio, o));
  }
  const reasons = checks.filter((c) => !c.ok).map((c) => `${c.id}: ${c.detail}`);
  return { clean: reasons.length === 0, reasons, checks };
}

function checkVideoCodec({ stream }: StreamPackets, o: CleanlinessOptions): CheckResult {
  const profile = stream.profile ?? 'unknown profile';
  const level = stream.level === undefined ? 'unknown level' : `level ${(stream.level / 10).toFixed(1)}`;
  const described = `${stream.codecName ?? 'unknown codec'} ${profile} ${level} ${stream.width ?? '?'}x${stream.height ?? '?'}`;
  const ok =
    stream.codecName === 'h264' &&
    o.allowedProfiles.includes(profile) &&
    stream.level !== undefined &&
    stream.level <= o.maxLevel;
  return result(
    'video.codec',
    ok,
    ok ? described : `${described}; want h264 ${o.allowedProfiles.join('/')} level <= ${o.maxLevel / 10}`,
  );
}

function checkCfr({ packets }: StreamPackets, o: CleanlinessOptions): CheckResult {
  const expected = 1000 / o.fps;
  const deltas = steps(packets.map((p) => p.tMs)).map((s) => s.deltaMs);
  const off = deltas.filter((d) => Math.abs(d - expected) > o.frameStepToleranceMs);
  const span = packets[packets.length - 1].tMs - packets[0].tMs;
  const meanFps = span > 0 ? ((packets.length - 1) * 1000) / span : 0;
  const r = range(deltas);
  const stats =
    `mean ${meanFps.toFixed(3)} fps, frame step ${fmt(r?.min)}-${fmt(r?.max)} ms ` +
    `(median ${fmt(median(deltas))}, sd ${standardDeviation(deltas).toFixed(2)})`;
  if (off.length > 0) {
    return fail(
      'video.cfr',
      `not constant ${o.fps} fps: ${off.length}/${deltas.length} frame steps off ${expected.toFixed(2)} ms by > ${o.frameStepToleranceMs} ms; ${stats}`,
    );
  }
  if (Math.abs(meanFps - o.fps) > o.meanFpsTolerance) return fail('video.cfr', `constant but not ${o.fps} fps: ${stats}`);
  return pass('video.cfr', `constant ${o.fps} fps: ${stats}`);
}

function checkGop({ packets }: StreamPackets, o: CleanlinessOptions): CheckResult {
  const span = packets[packets.length - 1].tMs - packets[0].tMs;
  const keyTimes = packets.filter((p) => p.keyframe).map((p) => p.tMs);
  const tolerance = 1000 / o.fps + 1; // one frame, plus millisecond rounding
  const intervals = steps(keyTimes).map((s) => s.deltaMs);
  const judged = intervals.slice(1); // the first GOP is allowed to differ (encoder start-up)
  const bad = judged.filter((d) => Math.abs(d - o.keyframeIntervalMs) > tolerance);
  const trailing = keyTimes.length > 0 ? packets[packets.length - 1].tMs - keyTimes[keyTimes.length - 1] : span;
  const r = range(judged);
  const seen = `${keyTimes.length} keyframes, intervals after the first GOP ${fmt(r?.min)}-${fmt(r?.max)} ms`;
  if (span < o.minVideoDurationMs || judged.length < 2) {
    return fail(
      'video.gop',
      `too little video to judge GOPs (${fmt(span)} ms, ${judged.length} intervals after the first); ${seen}`,
    );
  }
  if (bad.length > 0) {
    return fail(
      'video.gop',
      `keyframe interval not ${o.keyframeIntervalMs} +- ${tolerance.toFixed(1)} ms: ${bad.length}/${judged.length} off; ${seen}`,
    );
  }
  if (trailing > o.keyframeIntervalMs + tolerance) {
    return fail('video.gop', `no keyframe in the last ${fmt(trailing)} ms; ${seen}`);
  }
  return pass('video.gop', `keyframe every ${o.keyframeIntervalMs} ms: ${seen}`);
}

/**
 * Closed GOP: nothing decoded after a keyframe is presented before it (no leading pictures).
 * A frame whose DTS is also behind the keyframe's is a backward jump, reported by the timestamp check.
 */
function checkClosedGop({ packets }: StreamPackets): CheckResult {
  let openGops = 0;
  let key: TimedPacket | undefined;
  let counted = false;
  for (const p of packets) {
    if (p.keyframe) {
      key = p;
      counted = false;
    } else if (!counted && key?.ptsMs !== undefined && p.ptsMs !== undefined && p.ptsMs < key.ptsMs && p.tMs > key.tMs) {
      openGops++;
      counted = true;
    }
  }
  return openGops === 0
    ? pass('video.closed-gop', 'no frame after a keyframe is presented before it')
    : fail('video.closed-gop', `${openGops} open GOPs (frames after a keyframe presented before it)`);
}

function checkTimestamps(id: 'video.timestamps' | 'audio.timestamps', { packets }: StreamPackets): CheckResult {
  const all = steps(packets.map((p) => p.tMs));
  const backward = all.filter((s) => s.deltaMs < 0);
  const frozen = all.filter((s) => s.deltaMs === 0);
  const ptsBeforeDts = packets.filter((p) => p.ptsMs !== undefined && p.dtsMs !== undefined && p.ptsMs < p.dtsMs);
  const problems = [
    backward.length
      ? `${backward.length} backward DTS steps (largest ${fmt(Math.min(...backward.map((s) => s.deltaMs)))} ms at ${fmt(backward[0].fromMs)} ms)`
      : '',
    frozen.length ? `${frozen.length} repeated DTS` : '',
    ptsBeforeDts.length ? `${ptsBeforeDts.length} packets with PTS < DTS` : '',
  ].filter(Boolean);
  return problems.length === 0
    ? pass(id, `DTS strictly increasing over ${packets.length} packets, PTS >= DTS`)
    : fail(id, problems.join('; '));
}

function checkAudioCodec({ stream }: StreamPackets, o: CleanlinessOptions): CheckResult {
  const described =
    `${stream.codecName ?? 'unknown codec'} ${stream.profile ?? ''} ${stream.sampleRate ?? '?'} Hz ${stream.channels ?? '?'} ch`.replace(
      /\s+/g,
      ' ',
    );
  const ok = stream.codecName === 'aac' && stream.sampleRate !== undefined && o.audioSampleRates.includes(stream.sampleRate);
  return result('audio.codec', ok, ok ? described : `${described}; want aac at ${o.audioSampleRates.join(' or ')} Hz`);
}

function checkAudioGaps({ stream, packets }: StreamPackets, o: CleanlinessOptions): CheckResult {
  const nominal = stream.sampleRate ? (1024 * 1000) / stream.sampleRate : 0;
  const gaps = steps(packets.map((p) => p.tMs))
    .map((s) => ({ ...s, gapMs: s.deltaMs - packetDuration(packets[s.index - 1], nominal) }))
    .filter((s) => s.gapMs > o.maxAudioGapMs);
  if (gaps.length === 0) return pass('audio.gaps', `no gap over ${o.maxAudioGapMs} ms`);
  const largest = gaps.reduce((a, b) => (b.gapMs > a.gapMs ? b : a));
  return fail(
    'audio.gaps',
    `${gaps.length} gaps over ${o.maxAudioGapMs} ms (largest ${fmt(largest.gapMs)} ms at ${fmt(largest.fromMs)} ms)`,
  );
}

/**
 * Audio must not start late (a separate audio encode often starts 1.2-1.4 s behind). Audio starting
 * *before* video is fine: nginx-rtmp holds back a late-joining player's video until the next keyframe.
 */
function checkAvStart(video: StreamPackets, audio: StreamPackets, o: CleanlinessOptions): CheckResult {
  const offset = audio.packets[0].tMs - video.packets[0].tMs;
  const detail = `audio starts ${fmt(offset)} ms after video`;
  const ok = offset <= o.maxAvStartOffsetMs;
  return result('av.start', ok, ok ? detail : `${detail} (max ${o.maxAvStartOffsetMs})`);
}

function packetDuration(packet: TimedPacket, nominal: number): number {
  return packet.durationMs && packet.durationMs > 0 ? packet.durationMs : nominal;
}

function result(id: CheckId, ok: boolean, detail: string): CheckResult {
  return { id, ok, detail };
}

function pass(id: CheckId, detail: string): CheckResult {
  return result(id, true, detail);
}

function fail(id: CheckId, detail: string): CheckResult {
  return result(id, false, detail);
}

function fmt(value: number | undefined): string {
  return value === undefined ? '?' : String(Math.round(value * 10) / 10);
}
