// Glass-to-destination latency by picture content.
//
// Every frame of the dirty input shows a different picture (testsrc2 moves, and the kit burns in a
// frame counter). Each frame is reduced to a tiny grey thumbnail (its fingerprint). A frame that
// reaches a destination is decoded, fingerprinted and matched to the input frame it shows: the
// nearest fingerprint among the frames the glasses had sent in the preceding MATCH_WINDOW_MS (the
// input loops every ~30 s, so a frame and its copy in the next pass are never both candidates).
// The glasses' send time of each input frame comes from the RTMP tap, its arrival from the sink's
// recording; latency of a frame = first arrival of a picture showing it - its send time. Frames the
// encoder dropped (CFR from a bursty input) never arrive and are not counted; duplicates count once.
// Measured separation here: the same frame after a 2 Mb/s encode differs by MSE < 0.1, neighbouring
// frames by > 100, so a match is unambiguous.
import { spawn } from 'node:child_process';
import { openSync, readSync, closeSync, writeFileSync } from 'node:fs';
import type { ArrivedVideoTag } from './flv-follower';

const WIDTH = 32;
const HEIGHT = 18;
const PRINT_BYTES = WIDTH * HEIGHT;
const MATCH_WINDOW_MS = 15_000;
/** Above this mean squared error (0-255 grey levels) a picture matches no input frame. */
const MAX_MATCH_MSE = 30;

export interface DecodedPrints {
  prints: Buffer[];
  /** Byte offset of each frame's packet in the source file. */
  pos: number[];
}

/** Decodes every video frame of `file` (or the first `maxFrames`) into fingerprints, in decode order. */
export async function fingerprintFile(file: string, maxFrames?: number, signal?: AbortSignal): Promise<DecodedPrints> {
  const args = [
    ...['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', '-threads', '1', '-i', file, '-an'],
    ...(maxFrames ? ['-frames:v', String(maxFrames)] : []),
    // setpts=N: strictly increasing timestamps for the raw output, whatever the input's.
    ...['-fps_mode', 'passthrough', '-vf', `showinfo,setpts=N,scale=${WIDTH}:${HEIGHT}:flags=area,format=gray`],
    ...['-f', 'rawvideo', 'pipe:1'],
  ];
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
  const out: Buffer[] = [];
  let err = '';
  let tail: string[] = [];
  const pos: number[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
    const lines = err.split('\n');
    err = lines.pop() ?? '';
    tail = [...tail, ...lines.filter((line) => !line.includes('Parsed_showinfo'))].slice(-8);
    for (const line of lines) {
      const match = /Parsed_showinfo.*\bn:\s*\d+\b.*\bpos:\s*(-?\d+)/.exec(line);
      if (match) pos.push(Number(match[1]));
    }
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`ffmpeg could not decode ${file} (exit ${code}): ${[...tail, err].join(' | ').slice(-600)}`);
  const raw = Buffer.concat(out);
  const prints: Buffer[] = [];
  for (let at = 0; at + PRINT_BYTES <= raw.length; at += PRINT_BYTES) prints.push(raw.subarray(at, at + PRINT_BYTES));
  return { prints, pos: pos.slice(0, prints.length) };
}

/**
 * Writes the video that arrived from the last keyframe at or before `fromAt` to `toAt` as an FLV
 * of its own (decoding only what is needed), from the copy of the tags in `source`, and returns
 * which arrived tag each of its packets is. Each frame is preceded by the newest sequence header.
 */
export function writeVideoExcerpt(
  source: string,
  tags: readonly ArrivedVideoTag[],
  excerptPath: string,
  range: { fromAt?: number; toAt?: number } = {},
): Map<number, ArrivedVideoTag> {
  const inRange = tags.filter((tag) => tag.arrivedAt <= (range.toAt ?? Infinity));
  let first = inRange.findIndex((tag) => !tag.sequenceHeader && tag.arrivedAt >= (range.fromAt ?? -Infinity));
  while (first > 0 && !(inRange[first].keyframe && !inRange[first].sequenceHeader)) first--;
  let header = first;
  while (header >= 0 && !inRange[header].sequenceHeader) header--;
  // A reconnected destination starts with a new sequence header and keyframe: later headers stay in place.
  const picked = first >= 0 && header >= 0 ? [inRange[header], ...inRange.slice(first)] : [];
  const flvHeader = Buffer.from([0x46, 0x4c, 0x56, 1, 0x01, 0, 0, 0, 9, 0, 0, 0, 0]); // video only
  const parts: Buffer[] = [flvHeader];
  const byOffset = new Map<number, ArrivedVideoTag>();
  let offset = flvHeader.length;
  const fd = openSync(source, 'r');
  try {
    for (const tag of picked) {
      const bytes = Buffer.alloc(tag.bytes);
      readSync(fd, bytes, 0, tag.bytes, tag.offset);
      parts.push(bytes);
      byOffset.set(offset, tag);
      offset += tag.bytes;
    }
  } finally {
    closeSync(fd);
  }
  writeFileSync(excerptPath, Buffer.concat(parts));
  return byOffset;
}

export interface LatencySample {
  /** Index of the input frame (counting from the start of the publish). */
  frame: number;
  sentAt: number;
  latencyMs: number;
}

export interface LatencyInput {
  /** Fingerprints of one pass of the input; frame n shows picture n % prints.length. */
  inputPrints: readonly Buffer[];
  sentAt: readonly number[];
  arrived: readonly { arrivedAt: number; print: Buffer }[];
}

export function matchFrames(input: LatencyInput): { samples: LatencySample[]; unmatched: number } {
  const perPass = input.inputPrints.length;
  const best = new Map<number, LatencySample>();
  let unmatched = 0;
  let low = 0;
  for (const { arrivedAt, print } of input.arrived) {
    while (low < input.sentAt.length && input.sentAt[low] < arrivedAt - MATCH_WINDOW_MS) low++;
    let bestFrame = -1;
    let bestMse = Infinity;
    for (let n = low; n < input.sentAt.length && input.sentAt[n] <= arrivedAt; n++) {
      const mse = meanSquaredError(print, input.inputPrints[n % perPass], bestMse);
      if (mse < bestMse) {
        bestMse = mse;
        bestFrame = n;
      }
    }
    if (bestFrame < 0 || bestMse > MAX_MATCH_MSE) {
      unmatched++;
      continue;
    }
    const latencyMs = arrivedAt - input.sentAt[bestFrame];
    const previous = best.get(bestFrame);
    if (!previous || latencyMs < previous.latencyMs)
      best.set(bestFrame, { frame: bestFrame, sentAt: input.sentAt[bestFrame], latencyMs });
  }
  return { samples: [...best.values()].sort((a, b) => a.frame - b.frame), unmatched };
}

/** Stops early once past `bound`: only the minimum matters. */
function meanSquaredError(a: Buffer, b: Buffer, bound: number): number {
  const limit = bound * a.length;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    sum += d * d;
    if (sum > limit) return Infinity;
  }
  return sum / a.length;
}
