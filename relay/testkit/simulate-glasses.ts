import { formatDirtiness } from './dirtiness-report';
import { generateDirtyStream, writeDirtyFlv } from './dirty-stream-generator';
import { planDirtyStream, summarizePlan, type DirtyStreamPlan } from './dirty-stream-plan';
import { publishDirtyStream } from './dirty-stream-publisher';
import { stopAllProcesses } from './child-process';
import { parseSimulateArgs, USAGE, UsageError, type SimulateArgs } from './simulate-glasses-args';
import { proveDirtiness } from './stream-inspection';
import { formatVideoSize } from './stream-shape';

/**
 * CLI: npm run simulate:glasses -- <rtmpUrl> [--seed N] [--duration S] [--loop] [--publisher node|ffmpeg] [--out f.flv] [--report]
 *      [--size WxH] [--fps N] [--no-audio] [--audio-only-for S] [--resize-at S --resize-to WxH] [--drop-at S --drop-for S] ...
 * The plan summary goes to stderr; Ctrl-C ends a publish cleanly (deleteStream, no orphan FFmpeg).
 */

async function main(args: SimulateArgs): Promise<void> {
  const plan = planDirtyStream(args.seed, args.durationSec, args.shape);
  const s = summarizePlan(plan);
  log(
    `plan seed=${plan.seed} duration=${args.durationSec}s frames=${s.frameCount} fps ${s.fps.min}-${s.fps.max} ` +
      `keyframe gaps ${s.keyframeGapMs.min}-${s.keyframeGapMs.max} ms jumps ${[...s.forwardJumpsMs, ...s.backwardJumpsMs].map(signed).join(' ')} ms`,
  );
  log(describeShape(plan));
  const stream = await generateDirtyStream(plan);
  if (args.outFile) {
    await writeDirtyFlv(stream, args.outFile);
    log(`wrote ${args.outFile}`);
    if (args.report) log(formatDirtiness(await proveDirtiness(args.outFile, { seconds: args.durationSec + 30 })));
  }
  if (!args.rtmpUrl) return;
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    log(
      `publishing to ${redact(args.rtmpUrl)} with the ${args.publisher} publisher${args.loop ? ', looping (Ctrl-C to stop)' : ''}`,
    );
    const report = await publishDirtyStream(stream, args.rtmpUrl, {
      publisher: args.publisher,
      loop: args.loop,
      signal: abort.signal,
      onPass: (pass) => pass > 0 && log(`pass ${pass + 1}`),
      onSession: (e) =>
        log(
          e.type === 'dropped'
            ? `${(e.elapsedMs / 1000).toFixed(1)} s: dropped the connection${e.abrupt ? ' (abandoned, no unpublish)' : ' (clean unpublish)'}`
            : `${(e.elapsedMs / 1000).toFixed(1)} s: publishing${e.session > 0 ? ` again (session ${e.session + 1})` : ''}`,
        ),
    });
    log(`${report.aborted ? 'stopped' : 'done'}: ${report.tagsSent} tags in ${(report.elapsedMs / 1000).toFixed(1)} s`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function describeShape(plan: DirtyStreamPlan): string {
  const { shape } = plan;
  const audio = shape.audio ? `AAC ${shape.audio.sampleRate} Hz ${shape.audio.channels === 1 ? 'mono' : 'stereo'}` : 'no audio';
  const parts = [
    `shape ${formatVideoSize(shape.size)}`,
    shape.fps === 'wander' ? 'fps 9-15 wandering' : `${shape.fps} fps`,
    audio,
    ...(shape.videoStartMs ? [`video from ${shape.videoStartMs / 1000} s`] : []),
    ...shape.audioPauses.map((p) => `audio pause ${p.fromWallMs / 1000}-${p.toWallMs / 1000} s`),
    ...shape.resizes.map((r) => `resize to ${formatVideoSize(r.size)} at ${r.atWallMs / 1000} s`),
    ...shape.drops.map((d) => `drop${d.abrupt ? ' (abrupt)' : ''} ${d.atWallMs / 1000}-${d.returnWallMs / 1000} s`),
    ...(shape.drops.length ? [`clock ${shape.clockAfterDrop}s after a drop`] : []),
  ];
  return parts.join(', ');
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** Stream keys are secrets: show only the host and application. */
function redact(url: string): string {
  return url.replace(/^(rtmps?:\/\/[^/]+\/[^/]+\/).*$/, '$1***');
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

let args: SimulateArgs;
try {
  args = parseSimulateArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  if (error.message) log(`error: ${error.message}\n`);
  log(USAGE);
  process.exit(error.message ? 2 : 0);
}
main(args)
  .catch(async (error: unknown) => {
    log(`simulate-glasses failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => stopAllProcesses());
