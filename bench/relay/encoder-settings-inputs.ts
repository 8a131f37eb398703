// The encoder benchmark's two inputs, as the relay's encoder sees them: the FLV the output clock
// writes (restamped, silence filled in), here produced offline by driving the agent's OutputClock on
// a simulated clock with each tag at its planned arrival time.
//   dirty: the test kit's seeded dirty glasses stream (the one bench/relay publishes).
//   easy:  a still test card with a burned-in frame counter and a tone, clean 30 fps (static-ish content).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OutputClock } from '../../relay/src/stream/output-clock';
import { runProcess } from '../../relay/testkit/child-process';
import { findCounterFont, generateDirtyStream } from '../../relay/testkit/dirty-stream-generator';
import { planDirtyStream } from '../../relay/testkit/dirty-stream-plan';
import { tagsForPass } from '../../relay/testkit/dirty-stream-timeline';
import { parseFlv, serializeFlvHeader, serializeFlvTag, type FlvTag } from '../../relay/testkit/flv-tags';

export type InputName = 'dirty' | 'easy';

export interface EncoderInput {
  name: InputName;
  /** The output clock's FLV: what the encoder reads on stdin. */
  file: string;
  seconds: number;
}

const TICK_MS = 20;

export async function prepareInputs(dir: string, seed: number, seconds: number): Promise<EncoderInput[]> {
  const plan = planDirtyStream(seed, seconds);
  const dirty = await generateDirtyStream(plan);
  const dirtyTags = tagsForPass(dirty, 0);
  const easyTags = (await renderEasy(dir, seconds)).map((tag) => ({ ...tag, wallMs: tag.timestampMs }));
  return [
    await throughOutputClock(dirtyTags, path.join(dir, 'dirty-clocked.flv'), 'dirty', seconds),
    await throughOutputClock(easyTags, path.join(dir, 'easy-clocked.flv'), 'easy', seconds),
  ];
}

async function throughOutputClock(
  tags: readonly (FlvTag & { wallMs: number })[],
  file: string,
  name: InputName,
  seconds: number,
): Promise<EncoderInput> {
  let now = 0;
  const written: FlvTag[] = [];
  const clock = new OutputClock({
    now: () => now,
    write: (tag) => written.push(tag),
    slate: () => null,
    onInput: () => undefined,
  });
  let nextTick = TICK_MS;
  for (const tag of tags) {
    for (; nextTick <= tag.wallMs; nextTick += TICK_MS) {
      now = nextTick;
      clock.tick();
    }
    now = tag.wallMs;
    if (tag.kind !== 'script') clock.input(tag.kind, tag.timestampMs, tag.data);
  }
  const parts = [serializeFlvHeader({ hasAudio: true, hasVideo: true }), ...written.map(serializeFlvTag)];
  await writeFile(file, Buffer.concat(parts));
  return { name, file, seconds };
}

async function renderEasy(dir: string, seconds: number): Promise<FlvTag[]> {
  const file = path.join(dir, 'easy.flv');
  const font = findCounterFont();
  const counter = font ? `,drawtext=fontfile=${font}:text='%{frame_num}':x=40:y=40:fontsize=48:fontcolor=white:box=1` : '';
  const args = [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `smptehdbars=s=1280x720:r=30${counter}`],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'],
    ...['-t', String(seconds), '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-b:v', '2500k'],
    ...['-g', '60', '-keyint_min', '60', '-sc_threshold', '0', '-bf', '0'],
    ...['-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2', '-f', 'flv', file],
  ];
  const result = await runProcess('ffmpeg', args, 120_000);
  if (result.code !== 0) throw new Error(`rendering the easy input failed: ${result.stderr}`);
  return parseFlv(await readFile(file)).tags;
}
