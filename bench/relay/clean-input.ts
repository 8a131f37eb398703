// The clean camera's input, recorded once: what a well-behaved camera sends (720p at a constant
// 30 fps, a keyframe every 2 s, H.264 + AAC-LC 48 kHz stereo, monotonic timestamps), written as
// FLV so that its publisher replays it with `ffmpeg -re -c copy` like the dirty one: the camera's
// own encode is done before the measurement and does not load the machine during it. Each picture
// carries a burned-in frame number, so the glass-to-destination latency matches frames as for the
// dirty input (frame-latency.ts).
import path from 'node:path';
import { runProcess } from '../../relay/testkit/child-process';
import { findCounterFont } from '../../relay/testkit/dirty-stream-generator';
import { escapeFilterValue } from '../../relay/testkit/ffmpeg-args';
import { fingerprintFile } from './frame-latency';

export const CLEAN_FPS = 30;
export const CLEAN_GOP_FRAMES = 60;
export const CLEAN_SIZE = '1280x720';

export interface CleanInput {
  file: string;
  seconds: number;
  /** Fingerprints of every picture of the file, in order (the file is one pass). */
  prints: Buffer[];
  /** One line for the report. */
  description: string;
}

/** Pure: the camera's encode, as the passthrough spec's clean camera (test/relay/passthrough.int-spec.ts), to a file. */
export function cleanCameraArgs(outPath: string, seconds: number, fontFile?: string): string[] {
  const counter = fontFile
    ? `,drawtext=fontfile=${escapeFilterValue(fontFile)}:fontsize=44:fontcolor=white:box=1:boxcolor=black@0.6` +
      `:x=40:y=40:text='clean camera  frame %{frame_num}'`
    : '';
  return [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=s=${CLEAN_SIZE}:r=${CLEAN_FPS}:d=${seconds}${counter}`],
    ...['-f', 'lavfi', '-i', `sine=f=440:r=48000:d=${seconds}`],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p'],
    ...['-g', String(CLEAN_GOP_FRAMES), '-keyint_min', String(CLEAN_GOP_FRAMES), '-sc_threshold', '0', '-b:v', '2000k'],
    ...['-c:a', 'aac', '-ar', '48000', '-ac', '2', '-b:a', '128k'],
    ...['-f', 'flv', outPath],
  ];
}

export async function recordCleanInput(dir: string, seconds: number): Promise<CleanInput> {
  const file = path.join(dir, 'clean-camera.flv');
  const font = findCounterFont();
  // Several times real time on an idle core; the timeout only guards against a hung encoder.
  const result = await runProcess('ffmpeg', cleanCameraArgs(file, seconds, font), 60_000 + seconds * 4000);
  if (result.code !== 0)
    throw new Error(`ffmpeg could not render the clean camera (${result.code ?? result.signal}): ${result.stderr}`);
  const decoded = await fingerprintFile(file);
  const expected = seconds * CLEAN_FPS;
  if (Math.abs(decoded.prints.length - expected) > 1) {
    throw new Error(`decoded ${decoded.prints.length} pictures from the clean camera's file, expected ${expected}`);
  }
  return {
    file,
    seconds,
    prints: decoded.prints,
    description:
      `a clean camera: ${CLEAN_SIZE} at ${CLEAN_FPS} fps constant, keyframe every ${CLEAN_GOP_FRAMES / CLEAN_FPS} s, ` +
      `H.264 (x264) + AAC-LC 48 kHz stereo, ${font ? 'frame counter burned in' : 'no font: no burned-in counter'}, ` +
      `${seconds} s pre-rendered to FLV, replayed by \`ffmpeg -re -c copy\``,
  };
}
