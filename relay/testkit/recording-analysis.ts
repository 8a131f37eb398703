// What a relay test or benchmark reads from an output after the fact: the longest step between
// packets, whether timestamps go back, the still spans (the slate is a still picture), and the
// picture sizes. FFmpeg/ffprobe runners plus the pure parsing of what they print.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ProbeResult } from './ffprobe-json';

const run = promisify(execFile);
const BIG = 64 * 1024 * 1024;

/** Longest step between consecutive packets of each media stream (ms, by DTS); null: no such stream. */
export function longestDtsGapMs(probe: ProbeResult): { video: number | null; audio: number | null } {
  const gap = (type: string): number | null => {
    const dts = probe.packets.filter((p) => p.codecType === type && p.dtsMs !== undefined).map((p) => p.dtsMs as number);
    if (dts.length === 0) return null;
    let longest = 0;
    for (let i = 1; i < dts.length; i++) longest = Math.max(longest, dts[i] - dts[i - 1]);
    return longest;
  };
  return { video: gap('video'), audio: gap('audio') };
}

/** True when no stream's DTS ever goes back. */
export function monotonic(probe: ProbeResult): boolean {
  const last = new Map<number, number>();
  for (const p of probe.packets) {
    if (p.dtsMs === undefined) continue;
    if (p.dtsMs < (last.get(p.streamIndex) ?? -Infinity)) return false;
    last.set(p.streamIndex, p.dtsMs);
  }
  return true;
}

export interface Span {
  start: number;
  end: number;
}

/** Pure: freezedetect's log lines -> spans (s, from the file's start); an open span ends at Infinity. */
export function parseFreezeLog(stderr: string): Span[] {
  const spans: Span[] = [];
  for (const line of stderr.split('\n')) {
    const start = /freeze_start: ([\d.]+)/.exec(line);
    if (start) spans.push({ start: Number(start[1]), end: Infinity });
    const end = /freeze_end: ([\d.]+)/.exec(line);
    if (end && spans.length > 0) spans[spans.length - 1].end = Number(end[1]);
  }
  return spans;
}

/**
 * Spans where the picture stays still for at least `minSec`. Noise 0.003 (about -50 dB): the
 * encoder refines a still picture slightly from frame to frame; the test picture moves far more.
 */
export async function frozenSpans(file: string, minSec = 1): Promise<Span[]> {
  const result = await run(
    'ffmpeg',
    [
      ...['-hide_banner', '-nostdin', '-nostats', '-threads', '1', '-i', file, '-map', '0:v:0'],
      ...['-vf', `freezedetect=n=0.003:d=${minSec}`, '-f', 'null', '-'],
    ],
    { maxBuffer: BIG },
  );
  return parseFreezeLog(result.stderr);
}

/**
 * The picture sizes of the decoded frames in order, as runs ("1280x720 ×300"). A file, or a live
 * HLS playlist read from its first segment (given up after 3 reloads without news).
 */
export async function frameSizeRuns(source: string, seconds = 120): Promise<{ size: string; frames: number }[]> {
  const hls = /\.m3u8$/.test(source);
  const { stdout } = await run(
    'ffprobe',
    [
      ...['-v', 'error', ...(hls ? ['-live_start_index', '0', '-m3u8_hold_counters', '3'] : [])],
      ...['-read_intervals', `%+${seconds}`, '-select_streams', 'v:0', '-show_entries', 'frame=width,height'],
      ...['-of', 'csv=p=0', source],
    ],
    { maxBuffer: BIG, timeout: (seconds + 30) * 1000 },
  );
  const runs: { size: string; frames: number }[] = [];
  for (const line of stdout.split('\n')) {
    // `width,height` (ffprobe may add an empty field for side data: `1280,720,`).
    const [width, height] = line.split(',').filter((field) => field.trim() !== '');
    if (!width || !height) continue;
    const size = `${width.trim()}x${height.trim()}`;
    const last = runs[runs.length - 1];
    if (last?.size === size) last.frames++;
    else runs.push({ size, frames: 1 });
  }
  return runs;
}
