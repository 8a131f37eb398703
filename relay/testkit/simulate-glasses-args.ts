import { parseArgs } from 'node:util';
import { MIN_PLAN_DURATION_SEC } from './dirty-stream-plan';
import type { PublisherKind } from './dirty-stream-publisher';

/** Pure: command line of simulate-glasses. */

export const USAGE = `Usage: simulate-glasses <rtmpUrl> [--seed N] [--duration S] [--loop] [--publisher node|ffmpeg] [--out file.flv] [--report]
       simulate-glasses --out dirty.flv [--seed N] [--duration S] [--report]

Publishes (in real time) or writes a deterministic dirty glasses stream: 9-15 fps wandering, keyframes
70 ms and >5 s apart, forward and backward timestamp jumps, H.264 Constrained Baseline 1280x720 + AAC 44.1 kHz mono.
  --seed N         plan seed (default 1); the same seed always gives the same stream
  --duration S     seconds per pass, >= ${MIN_PLAN_DURATION_SEC} (default 60)
  --loop           repeat the pass until interrupted, timestamps continuing
  --publisher P    node (default: keeps backward jumps) or ffmpeg (its muxer turns them into frozen DTS)
  --out FILE       also write one pass to FILE as FLV (exact timestamps); without a URL only write it
  --report         ffprobe the written file and print the measured dirtiness`;

export interface SimulateArgs {
  rtmpUrl?: string;
  seed: number;
  durationSec: number;
  loop: boolean;
  publisher: PublisherKind;
  outFile?: string;
  report: boolean;
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
  return { rtmpUrl, seed, durationSec, loop: values.loop, publisher, outFile: values.out, report: values.report };
}

function integer(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new UsageError(`${name} must be an integer, got ${text}`);
  return value;
}
