import { parseArgs } from 'node:util';
import { MIN_PLAN_DURATION_SEC } from './dirty-stream-plan';
import type { PublisherKind } from './dirty-stream-publisher';
import { normalizeShape, type ShapeOptions } from './stream-shape';

/** Pure: command line of simulate-glasses. */

export const USAGE = `Usage: simulate-glasses <rtmpUrl> [--seed N] [--duration S] [--loop] [--publisher node|ffmpeg] [--out file.flv] [--report] [shape]
       simulate-glasses --out dirty.flv [--seed N] [--duration S] [--report] [shape]

Publishes (in real time) or writes a deterministic dirty glasses stream: 9-15 fps wandering, keyframes
70 ms and >5 s apart, forward and backward timestamp jumps, H.264 Constrained Baseline 1280x720 + AAC 44.1 kHz mono.
  --seed N         plan seed (default 1); the same seed always gives the same stream
  --duration S     seconds per pass, >= ${MIN_PLAN_DURATION_SEC} (default 60)
  --loop           repeat the pass until interrupted, timestamps continuing
  --publisher P    node (default: keeps backward jumps) or ffmpeg (its muxer turns them into frozen DTS)
  --out FILE       also write one pass to FILE as FLV (exact timestamps); without a URL only write it
  --report         ffprobe the written file and print the measured dirtiness
Shape (what other glasses send; times in seconds from the start):
  --size WxH               video size, e.g. 720x1280 (default 1280x720)
  --fps N                  a constant N fps, no jitter (default: wandering 9-15)
  --audio F                mono44 (default, AAC 44.1 kHz mono), stereo48 or none
  --no-audio               same as --audio none: no audio track at all
  --audio-only-for S       audio from the start, video only after S
  --video-only-at S --video-only-for S   audio pauses for a while (repeatable pairs)
  --resize-at S --resize-to WxH          new SPS + keyframe at S (repeatable; same size = re-sent SPS)
  --drop-at S --drop-for S               the connection drops at S, publishes again S later (repeatable;
                                         one --drop-for applies to every drop)
  --drop-every S           a drop every S (lasting --drop-for, default 3)
  --abrupt                 drops abandon the socket (no FCUnpublish/deleteStream)
  --clock restart|continue the device clock after a return (default restart: from 0)`;

export interface SimulateArgs {
  rtmpUrl?: string;
  seed: number;
  durationSec: number;
  loop: boolean;
  publisher: PublisherKind;
  outFile?: string;
  report: boolean;
  shape: ShapeOptions;
}

export class UsageError extends Error {}

export function parseSimulateArgs(argv: readonly string[]): SimulateArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        seed: { type: 'string' },
        duration: { type: 'string' },
        loop: { type: 'boolean', default: false },
        publisher: { type: 'string' },
        out: { type: 'string' },
        report: { type: 'boolean', default: false },
        size: { type: 'string' },
        fps: { type: 'string' },
        audio: { type: 'string' },
        'no-audio': { type: 'boolean', default: false },
        'audio-only-for': { type: 'string' },
        'video-only-at': { type: 'string', multiple: true },
        'video-only-for': { type: 'string', multiple: true },
        'resize-at': { type: 'string', multiple: true },
        'resize-to': { type: 'string', multiple: true },
        'drop-at': { type: 'string', multiple: true },
        'drop-for': { type: 'string', multiple: true },
        'drop-every': { type: 'string' },
        abrupt: { type: 'boolean', default: false },
        clock: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError('');
  if (positionals.length > 1) throw new UsageError(`unexpected arguments: ${positionals.slice(1).join(' ')}`);
  const rtmpUrl = positionals[0];
  if (rtmpUrl !== undefined && !/^rtmps?:\/\/[^/]+\/.+/.test(rtmpUrl))
    throw new UsageError(`not an RTMP URL with app and key: ${rtmpUrl}`);
  if (rtmpUrl === undefined && values.out === undefined) throw new UsageError('give an RTMP URL, --out FILE, or both');
  const seed = integer(values.seed ?? '1', '--seed');
  const durationSec = Number(values.duration ?? '60');
  if (!Number.isFinite(durationSec) || durationSec < MIN_PLAN_DURATION_SEC) {
    throw new UsageError(`--duration must be a number >= ${MIN_PLAN_DURATION_SEC}`);
  }
  const publisher = values.publisher ?? 'node';
  if (publisher !== 'node' && publisher !== 'ffmpeg')
    throw new UsageError(`--publisher must be node or ffmpeg, got ${publisher}`);
  if (values.loop && rtmpUrl === undefined) throw new UsageError('--loop needs an RTMP URL');
  const shape = parseShape(values, durationSec);
  if (values.loop && shape.drops) throw new UsageError('--loop cannot repeat drops: use a longer --duration');
  return { rtmpUrl, seed, durationSec, loop: values.loop, publisher, outFile: values.out, report: values.report, shape };
}

interface ShapeFlags {
  size?: string;
  fps?: string;
  audio?: string;
  'no-audio'?: boolean;
  'audio-only-for'?: string;
  'video-only-at'?: string[];
  'video-only-for'?: string[];
  'resize-at'?: string[];
  'resize-to'?: string[];
  'drop-at'?: string[];
  'drop-for'?: string[];
  'drop-every'?: string;
  abrupt?: boolean;
  clock?: string;
}

/** Only the options given end up in the shape, so the default stream stays the default. */
function parseShape(flags: ShapeFlags, durationSec: number): ShapeOptions {
  const shape: ShapeOptions = {};
  if (flags.size !== undefined) shape.size = flags.size;
  if (flags.fps !== undefined && flags.fps !== 'wander') shape.fps = number(flags.fps, '--fps');
  if (flags['no-audio'] && flags.audio !== undefined && flags.audio !== 'none') {
    throw new UsageError('--no-audio contradicts --audio');
  }
  const audio = flags['no-audio'] ? 'none' : flags.audio;
  if (audio !== undefined) {
    if (audio !== 'mono44' && audio !== 'stereo48' && audio !== 'none') {
      throw new UsageError(`--audio must be mono44, stereo48 or none, got ${audio}`);
    }
    shape.audio = audio;
  }
  if (flags['audio-only-for'] !== undefined) shape.audioOnlyForSec = number(flags['audio-only-for'], '--audio-only-for');
  const videoOnly = pairs(flags['video-only-at'], flags['video-only-for'], '--video-only-at', '--video-only-for');
  if (videoOnly.length)
    shape.videoOnly = videoOnly.map(([at, span]) => ({
      atSec: number(at, '--video-only-at'),
      forSec: number(span, '--video-only-for'),
    }));
  const resizes = pairs(flags['resize-at'], flags['resize-to'], '--resize-at', '--resize-to');
  if (resizes.length) shape.resizes = resizes.map(([at, size]) => ({ atSec: number(at, '--resize-at'), size }));
  const drops = dropTimes(flags, durationSec);
  if (drops.length) shape.drops = drops.map(([atSec, forSec]) => ({ atSec, forSec, abrupt: flags.abrupt ?? false }));
  else if (flags.abrupt) throw new UsageError('--abrupt needs --drop-at or --drop-every');
  if (flags.clock !== undefined) {
    if (flags.clock !== 'restart' && flags.clock !== 'continue') {
      throw new UsageError(`--clock must be restart or continue, got ${flags.clock}`);
    }
    shape.clockAfterDrop = flags.clock;
  }
  try {
    normalizeShape(shape, Math.round(durationSec * 1000));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return shape;
}

function dropTimes(flags: ShapeFlags, durationSec: number): [number, number][] {
  const spans = (flags['drop-for'] ?? []).map((s) => number(s, '--drop-for'));
  if (flags['drop-every'] !== undefined) {
    if (flags['drop-at']) throw new UsageError('give --drop-at or --drop-every, not both');
    if (spans.length > 1) throw new UsageError('--drop-every takes one --drop-for');
    const every = number(flags['drop-every'], '--drop-every');
    const span = spans[0] ?? 3;
    if (every <= span + 0.5) throw new UsageError('--drop-every must be longer than --drop-for + 0.5');
    const drops: [number, number][] = [];
    for (let at = every; at + span < durationSec; at += every) drops.push([at, span]);
    return drops;
  }
  const ats = (flags['drop-at'] ?? []).map((s) => number(s, '--drop-at'));
  if (ats.length === 0) {
    if (spans.length) throw new UsageError('--drop-for needs --drop-at or --drop-every');
    return [];
  }
  if (spans.length !== 1 && spans.length !== ats.length) {
    throw new UsageError('give one --drop-for, or one per --drop-at');
  }
  return ats.map((at, i) => [at, spans[spans.length === 1 ? 0 : i]]);
}

function pairs(firsts: string[] | undefined, seconds: string[] | undefined, a: string, b: string): [string, string][] {
  const x = firsts ?? [];
  const y = seconds ?? [];
  if (x.length !== y.length) throw new UsageError(`every ${a} needs its ${b}`);
  return x.map((first, i) => [first, y[i]]);
}

function number(text: string, name: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`${name} must be a number, got ${text}`);
  return value;
}

function integer(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new UsageError(`${name} must be an integer, got ${text}`);
  return value;
}
