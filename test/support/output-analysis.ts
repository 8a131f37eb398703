import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ProbeResult } from '../../relay/testkit/ffprobe-json';

const run = promisify(execFile);

/** Longest step between consecutive packets of one stream (ms, by DTS): a hole the audience would see. */
export function longestGapMs(probe: ProbeResult): { video: number; audio: number } {
  const gap = (type: string): number => {
    const dts = probe.packets.filter((p) => p.codecType === type && p.dtsMs !== undefined).map((p) => p.dtsMs!);
    let longest = 0;
    for (let i = 1; i < dts.length; i++) longest = Math.max(longest, dts[i] - dts[i - 1]);
    return longest;
  };
  return { video: gap('video'), audio: gap('audio') };
}

/** True when every stream's DTS never goes back. */
export function monotonic(probe: ProbeResult): boolean {
  const last = new Map<number, number>();
  for (const p of probe.packets) {
    if (p.dtsMs === undefined) continue;
    if (p.dtsMs < (last.get(p.streamIndex) ?? -Infinity)) return false;
    last.set(p.streamIndex, p.dtsMs);
  }
  return true;
}

/** Spans (stream time, s) where the picture does not change for at least `minSec`: the slate, a freeze. */
export async function frozenSpans(file: string, minSec = 1): Promise<{ start: number; end: number }[]> {
  const { stderr } = await run(
    'ffmpeg',
    ['-hide_banner', '-nostdin', '-i', file, '-map', '0:v:0', '-vf', `freezedetect=n=0.003:d=${minSec}`, '-f', 'null', '-'],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const spans: { start: number; end: number }[] = [];
  for (const line of stderr.split('\n')) {
    const start = /freeze_start: ([\d.]+)/.exec(line);
    if (start) spans.push({ start: Number(start[1]), end: Infinity });
    const end = /freeze_end: ([\d.]+)/.exec(line);
    if (end && spans.length > 0) spans[spans.length - 1].end = Number(end[1]);
  }
  return spans;
}

/** Every distinct picture size among the decoded frames. */
export async function frameSizes(file: string): Promise<string[]> {
  const { stdout } = await run(
    'ffprobe',
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=width,height', '-of', 'csv=p=0', file],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const sizes = stdout.split('\n').map((line) => line.split(',').slice(0, 2).join('x').trim());
  return [...new Set(sizes.filter((size) => /^\d+x\d+$/.test(size)))];
}
