import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from './child-process';
import type { DirtyStreamPlan } from './dirty-stream-plan';
import { retimeRenders, tagsForPass, type DirtyStream } from './dirty-stream-timeline';
import { renderJobArgs, renderJobs } from './ffmpeg-args';
import { parseFlv, serializeFlvHeader, serializeFlvTag } from './flv-tags';

/**
 * Renders a plan with FFmpeg (faster than real time) and re-stamps it into the dirty stream. A plan
 * with resizes is rendered once per size segment (one encoder each, so each has its own SPS/PPS).
 */

const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf',
];

export function findCounterFont(): string | undefined {
  return FONT_CANDIDATES.find((path) => existsSync(path));
}

export interface GenerateOptions {
  /** Defaults to the first font found in FONT_CANDIDATES; `null` disables the burned-in counter. */
  fontFile?: string | null;
  ffmpegPath?: string;
}

export async function generateDirtyStream(plan: DirtyStreamPlan, options: GenerateOptions = {}): Promise<DirtyStream> {
  const workDir = await mkdtemp(join(tmpdir(), 'glasses-render-'));
  try {
    const fontFile = options.fontFile === null ? undefined : (options.fontFile ?? findCounterFont());
    const renders = [];
    for (const [i, job] of renderJobs(plan).entries()) {
      const renderPath = join(workDir, i === 0 ? 'render.flv' : `render-${i}.flv`);
      const args = renderJobArgs(job, renderPath, { fontFile });
      // Rendering runs at several times real time; the timeout only guards against a hung encoder.
      const result = await runProcess(options.ffmpegPath ?? 'ffmpeg', args, 60_000 + plan.durationMs * 2);
      if (result.code !== 0) throw new Error(`ffmpeg render failed (${result.code ?? result.signal}): ${result.stderr}`);
      renders.push(parseFlv(await readFile(renderPath)));
    }
    return retimeRenders(renders, plan);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Writes the dirty stream as an FLV file, timestamps exactly as planned (backward jumps included).
 * With drops, every session follows the previous one in the same file (headers again, clock restarted).
 * Note what a replay with `ffmpeg -re -c copy` does to it: it paces by these timestamps (a forward
 * jump becomes a pause, a backward one a burst) and its muxer rewrites backward steps as frozen DTS.
 */
export async function writeDirtyFlv(stream: DirtyStream, outPath: string, passes = 1): Promise<void> {
  if (passes > 1 && stream.sessions.length > 1) throw new RangeError('a stream with drops cannot be looped');
  const parts = [serializeFlvHeader({ hasAudio: stream.hasAudio, hasVideo: true })];
  for (let pass = 0; pass < passes; pass++) parts.push(...tagsForPass(stream, pass).map(serializeFlvTag));
  await writeFile(outPath, Buffer.concat(parts));
}
