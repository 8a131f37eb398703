import type { ProbedPacket, ProbedStream, ProbeResult } from './ffprobe-json';

/** Test helpers: synthetic ffprobe packet lists, clean unless told otherwise. */

export interface VideoFixture {
  seconds?: number;
  fps?: number;
  gopFrames?: number;
  /** Millisecond timestamps like FLV (33/34 ms steps) instead of exact ones like MPEG-TS. */
  roundToMs?: boolean;
  /** Closed-GOP IBBP decode order with a two-frame PTS delay. */
  bFrames?: boolean;
  startMs?: number;
}

export const VIDEO_STREAM: ProbedStream = {
  index: 0,
  codecType: 'video',
  codecName: 'h264',
  profile: 'High',
  level: 41,
  width: 1280,
  height: 720,
};
export const AUDIO_STREAM: ProbedStream = {
  index: 1,
  codecType: 'audio',
  codecName: 'aac',
  profile: 'LC',
  sampleRate: 48000,
  channels: 2,
};

export function videoPackets(f: VideoFixture = {}): ProbedPacket[] {
  const fps = f.fps ?? 30;
  const gop = f.gopFrames ?? 2 * fps;
  const count = Math.round((f.seconds ?? 10) * fps);
  const frameMs = 1000 / fps;
  const round = (t: number): number => (f.roundToMs ? Math.round(t) : t);
  const delay = f.bFrames ? 2 : 0;
  const packets: ProbedPacket[] = [];
  for (let gopStart = 0; gopStart < count; gopStart += gop) {
    const n = Math.min(gop, count - gopStart);
    for (const display of f.bFrames ? closedGopDecodeOrder(n) : [...Array(n).keys()]) {
      const decodeIndex = packets.length;
      const start = f.startMs ?? 0;
      packets.push({
        streamIndex: 0,
        codecType: 'video',
        dtsMs: round(start + decodeIndex * frameMs),
        ptsMs: round(start + (gopStart + display + delay) * frameMs),
        durationMs: frameMs,
        keyframe: display === 0,
      });
    }
  }
  return packets;
}

/** I0 P3 B1 B2 P6 B4 B5 ...: every B-frame refers only to frames of its own GOP. */
function closedGopDecodeOrder(n: number): number[] {
  const order = [0];
  for (let d = 1; d < n;) {
    const anchor = Math.min(d + 2, n - 1);
    order.push(anchor);
    for (let b = d; b < anchor; b++) order.push(b);
    d = anchor + 1;
  }
  return order;
}

export function audioPackets(
  options: { seconds?: number; sampleRate?: number; roundToMs?: boolean; startMs?: number } = {},
): ProbedPacket[] {
  const sampleRate = options.sampleRate ?? 48000;
  const frameMs = (1024 * 1000) / sampleRate;
  const count = Math.floor(((options.seconds ?? 10) * 1000) / frameMs);
  return Array.from({ length: count }, (_, i) => {
    const t = (options.startMs ?? 0) + i * frameMs;
    const ts = options.roundToMs ? Math.round(t) : t;
    return { streamIndex: 1, codecType: 'audio', dtsMs: ts, ptsMs: ts, durationMs: frameMs, keyframe: true };
  });
}

/** Interleaves by DTS the way a demuxer would, keeping each list's own order (jumps included). */
export function probeOf(streams: ProbedStream[], ...packetLists: ProbedPacket[][]): ProbeResult {
  const heads = packetLists.map(() => 0);
  const packets: ProbedPacket[] = [];
  for (;;) {
    let next = -1;
    const timeOf = (i: number): number | undefined => {
      const p = packetLists[i][heads[i]];
      return p && (p.dtsMs ?? p.ptsMs ?? 0);
    };
    packetLists.forEach((_, i) => {
      const t = timeOf(i);
      if (t !== undefined && (next < 0 || t < (timeOf(next) ?? 0))) next = i;
    });
    if (next < 0) return { streams, packets };
    packets.push(packetLists[next][heads[next]++]);
  }
}

export function cleanProbe(video: VideoFixture = {}): ProbeResult {
  return probeOf(
    [VIDEO_STREAM, AUDIO_STREAM],
    videoPackets(video),
    audioPackets({ seconds: video.seconds, roundToMs: video.roundToMs }),
  );
}

/** Applies `change` to the packets of one stream, in order. */
export function mapStream(probe: ProbeResult, index: number, change: (p: ProbedPacket, i: number) => ProbedPacket): ProbeResult {
  let i = 0;
  return { ...probe, packets: probe.packets.map((p) => (p.streamIndex === index ? change(p, i++) : p)) };
}
