// Relay benchmark: what the relay costs and how fast and clean it is, next to the original design's
// reference pipeline and (--baseline) today's relay, on the same pre-recorded dirty glasses stream;
// what reaches the audience when the glasses drop and return, or send no audio and change size; then
// how many concurrent streams the machine carries. A benchmark, not a test: missing a target is
// reported, never fatal.
//
//   npm run bench:relay -- [--duration 25] [--warmup 5] [--hold 20] [--settle 5] [--ramp 2,4,6,8,10,12,14,16]
//                          [--only reference,relay1,relay3,clean,drop,shapes,ramp] [--seed 20261121] [--poll 20]
//                          [--baseline 88b99af] [--sequential] [--relay-log error] [--keep]
//
// How it runs, and why:
// - Input: the test kit's dirty stream (seed --seed, 30 s plan with a burned-in frame counter),
//   written once as FLV; every publisher replays it with `ffmpeg -re -c copy` (replayFileArgs), so
//   the glasses cost next to nothing, through an RTMP tap that notes when each frame leaves.
// - Clean camera (`clean`): a pre-rendered clean FLV (clean-input.ts: 720p30 constant, keyframe every
//   2 s, H.264 + AAC 48 kHz stereo), replayed the same way, to the relay with 3 destinations + HLS.
//   The relay judges it while encoding and then copies it (passthrough, since fcd1a08); the CPU window
//   of the side-by-side measurement waits until the API says `stats.outputMode: 'passthrough'` (at
//   most until 5 s before the end: a stream never copied is reported as such, with the API's reason).
//   Every relay row prints the output mode the API gave during the window (dirty ones: 'encode').
// - Control plane: the real API in a child process on throwaway Postgres + Redis (bench/api's server
//   process, bench/support's services and swc compile). Relay: the real RelayAgent in a child process
//   (relay-process.ts) with its own nginx-rtmp; it registers with the API, which authorises publishes
//   and hands it the destinations. Destinations: three nginx-rtmp sinks (a, b, c) recording every
//   publish, and for the drop and shape cases one that keeps a recording per publish.
// - Today's pipeline (--baseline <git-ref>, e.g. 88b99af, the last commit before the relay plays and
//   restamps the glasses itself): that commit's relay agent, compiled from a git worktree (removed
//   again at once, baseline.ts), runs beside this one as a second relay of the same API; each stream
//   is created on the relay it is meant for. Its rows ("today") stand beside the relay's in every phase
//   but the ramp. Without it the report prints the issue's recorded figures for today's pipeline.
// - Per stream, a relay's cost is its FFmpeg processes (since 5b6ec37 one encoder; before, the encoder
//   and a forwarder per destination) plus its share of the agent (the agent's CPU and PSS divided by
//   the streams it carried meanwhile): the agent now carries the media. nginx is shared and not counted.
// - Side by side: the reference (plain nginx-rtmp + the exact reference command, plus its FLV variant
//   to sink a), the relay with 1 destination + HLS and with 3 destinations + HLS, each with its own
//   glasses, all publishing in the same instant: same input, same moment, so other work on the machine
//   weighs on all alike (about 0.8 of a core in all, on 2 cores). --duration s of streaming; CPU over
//   the common window after --warmup s. --sequential runs them one after another instead (start-up
//   figures then without the others' load, but the CPU comparison is exposed to the machine's drift).
// - Ramp: 2, 4, 6... concurrent relay streams (3 destinations + HLS each), --hold s each after all are
//   up and --settle s of draining, until a level is not sustained (ramp.ts says what that means).
// - Exit code 1 only when the benchmark itself failed (a service, a publisher, the API or the relay
//   broke, or a process outlived it); targets are printed as met / NOT MET.
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stopAllProcesses } from '../../relay/testkit/child-process';
import { findFreePort, findRtmpModule, startRtmpSinks, type RtmpSinks } from '../../relay/testkit/rtmp-sinks';
import { TEST_RELAY_TOKEN } from '../../test/support/test-config';
import { compileForBench, PROJECT_ROOT } from '../support/compile-app';
import { ControlPlane } from './control-plane';
import { PLAN_SECONDS, recordDirtyInput } from './dirty-input';
import { recordCleanInput } from './clean-input';
import { compileBaseline } from './baseline';
import { runCases, type CaseResult } from './glasses-cases';
import { findLeftovers } from './leftovers';
import { runLevel, type LevelResult } from './ramp';
import { RelayHandle } from './relay-handle';
import { printResults } from './results';
import {
  measureTogether,
  referencePipeline,
  relayPipeline,
  type BenchContext,
  type Pipeline,
  type StreamResult,
} from './single-stream';

const OUT_DIR = path.join(PROJECT_ROOT, 'dist/bench-relay');
const BASELINE_OUT_DIR = path.join(PROJECT_ROOT, 'dist/bench-relay-baseline');
const SINGLE_PHASES = ['reference', 'relay1', 'relay3', 'clean'] as const;
/** The single-stream rows: the phases, plus today's pipeline beside each relay phase (--baseline). */
export type SingleRow = (typeof SINGLE_PHASES)[number] | 'today1' | 'today3';
const CASE_PHASES = ['drop', 'shapes'] as const;
const PHASES = [...SINGLE_PHASES, ...CASE_PHASES, 'ramp'] as const;
type Phase = (typeof PHASES)[number];
const log = (msg: string) => process.stderr.write(`[bench:relay] ${msg}\n`);

export interface Flags {
  duration: number;
  warmup: number;
  hold: number;
  settle: number;
  ramp: number[];
  only: Phase[];
  seed: number;
  poll: number;
  relayLog: string;
  keep: boolean;
  sequential: boolean;
  /** Git ref of today's pipeline, or null. */
  baseline: string | null;
}

function parseFlags(): Flags {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '25' },
      warmup: { type: 'string', default: '5' },
      hold: { type: 'string', default: '20' },
      settle: { type: 'string', default: '5' },
      ramp: { type: 'string', default: '2,4,6,8,10,12,14,16' },
      only: { type: 'string', default: PHASES.join(',') },
      seed: { type: 'string', default: '20261121' },
      poll: { type: 'string', default: '20' },
      'relay-log': { type: 'string', default: 'error' },
      keep: { type: 'boolean', default: false },
      sequential: { type: 'boolean', default: false },
      baseline: { type: 'string' },
    },
  });
  const integer = (name: string, raw: string, min: number) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer >= ${min}, not "${raw}"`);
    return value;
  };
  const only = values.only.split(',').map((name) => name.trim());
  for (const name of only)
    if (!PHASES.includes(name as Phase)) throw new Error(`--only: unknown phase "${name}" (${PHASES.join(', ')})`);
  const flags: Flags = {
    duration: integer('duration', values.duration, 12),
    warmup: integer('warmup', values.warmup, 0),
    hold: integer('hold', values.hold, 6),
    settle: integer('settle', values.settle, 0),
    ramp: values.ramp.split(',').map((n) => integer('ramp', n.trim(), 1)),
    only: PHASES.filter((phase) => only.includes(phase)),
    seed: integer('seed', values.seed, 0),
    poll: integer('poll', values.poll, 5),
    relayLog: values['relay-log'],
    keep: values.keep,
    sequential: values.sequential,
    baseline: values.baseline ?? null,
  };
  if (flags.warmup >= flags.duration - 5) throw new Error('--warmup must leave at least 5 s of --duration to measure');
  return flags;
}

function checkTools(): void {
  findRtmpModule(); // throws with the package to install
  for (const tool of ['ffmpeg', 'ffprobe', 'nginx']) {
    const probe = spawnSync(tool, tool === 'nginx' ? ['-v'] : ['-version'], { stdio: 'ignore' });
    if (probe.error || probe.status !== 0) throw new Error(`${tool} not found: apt-get install ffmpeg nginx libnginx-mod-rtmp`);
  }
}

async function main(): Promise<number> {
  const flags = parseFlags();
  checkTools();
  const scratchDir = await mkdtemp(path.join(os.tmpdir(), 'bench-relay-'));
  // What identifies this run's processes in the clean-up check (leftovers.ts).
  const markers = [scratchDir];
  const abort = new AbortController();
  let relay: RelayHandle | null = null;
  let baseline: RelayHandle | null = null;
  let sinks: { name: string; server: RtmpSinks }[] = [];
  let uniqueSinks: RtmpSinks | null = null;
  let api: ControlPlane | null = null;
  let cleaning: Promise<boolean> | null = null;
  /**
   * Stops everything and checks that nothing outlived it; false when something had to be killed.
   * The API and its database go last and bounded: after a Ctrl-C (sent to the whole process group)
   * the database may already be gone, and waiting for it must not keep the rest from being cleaned.
   */
  const cleanUp = () =>
    (cleaning ??= (async () => {
      abort.abort();
      const step = (what: string, fn: () => Promise<unknown>) =>
        fn().catch((error: unknown) => log(`clean-up: ${what}: ${String(error)}`));
      await step('relay', () => relay?.stop() ?? Promise.resolve());
      await step("today's relay", () => baseline?.stop() ?? Promise.resolve());
      await step('sinks', () =>
        Promise.all(
          [...sinks.map((sink) => sink.server), ...(uniqueSinks ? [uniqueSinks] : [])].map((s) => s.stop({ removeFiles: true })),
        ),
      );
      await stopAllProcesses(2000);
      const leftovers = findLeftovers(markers);
      if (leftovers.length > 0)
        log(`processes left behind (killed now): ${leftovers.map((p) => `${p.pid} ${p.command}`).join(', ')}`);
      else log('clean-up: no FFmpeg or nginx of this run left');
      if (flags.keep) log(`scratch files kept in ${scratchDir}`);
      else await step('scratch directory', () => rm(scratchDir, { recursive: true, force: true, maxRetries: 3 }));
      let timer: NodeJS.Timeout | undefined;
      await step('API and its services', () =>
        Promise.race([
          api?.stop() ?? Promise.resolve(),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no answer within 20 s')), 20_000))),
        ]).finally(() => clearTimeout(timer)),
      );
      return leftovers.length === 0;
    })());
  // `on`, not `once`: a Ctrl-C reaches tsx too, which relays it, so a second SIGINT follows. It must
  // find our handler still there, or the services' guard takes it for unhandled and re-raises it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      log(cleaning ? `${signal}: already cleaning up` : `${signal}: cleaning up`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  const loadBefore = os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
  const started = Date.now();
  let failed = false;
  try {
    // Long enough for the longest phase: a ramp level may take 20 s to come up before its hold.
    const inputSeconds = Math.max(flags.duration, flags.only.includes('ramp') ? 20 + flags.settle + flags.hold : 0) + 10;
    const cases = CASE_PHASES.filter((phase) => flags.only.includes(phase));
    const [compiled, input, startedSinks, compiledBaseline, startedUnique, cleanInput] = await Promise.all([
      compileForBench({
        outDir: OUT_DIR,
        dirs: ['src', 'relay/src', 'relay/protocol'],
        files: [
          'test/support/test-config.ts',
          ...['bench/api/server.ts', 'bench/api/server-protocol.ts', 'bench/api/query-counter.ts'],
          ...['bench/relay/relay-process.ts', 'bench/relay/relay-protocol.ts'],
        ],
      }),
      recordDirtyInput(scratchDir, flags.seed, inputSeconds),
      Promise.all(['a', 'b', 'c'].map(async (name) => ({ name, server: await startRtmpSinks({ apps: ['live'] }) }))),
      flags.baseline ? compileBaseline(flags.baseline, BASELINE_OUT_DIR) : Promise.resolve(null),
      cases.length > 0 ? startRtmpSinks({ apps: ['live'], recordUnique: true }) : Promise.resolve(null),
      flags.only.includes('clean') ? recordCleanInput(scratchDir, flags.duration + 10) : Promise.resolve(null),
    ]);
    sinks = startedSinks;
    uniqueSinks = startedUnique;
    for (const server of [...sinks.map((sink) => sink.server), ...(uniqueSinks ? [uniqueSinks] : [])])
      markers.push(server.workDir, `127.0.0.1:${server.port}`);
    log(
      `compiled ${compiled} files; dirty input: ${input.passes} × ${PLAN_SECONDS} s (seed ${input.seed}); sinks on ${sinks.map((s) => s.server.port).join(', ')}` +
        (compiledBaseline ? `; today's pipeline: ${compiledBaseline.commit}` : ''),
    );

    api = await ControlPlane.start({ compiledDir: OUT_DIR, relayToken: TEST_RELAY_TOKEN, log });
    log(`API on ${api.baseUrl}; services: ${api.origin}`);
    const startRelay = async (name: string, script: string, id: string): Promise<RelayHandle> => {
      const settings = {
        workDir: path.join(scratchDir, name),
        rtmpPort: await findFreePort(),
        hlsPort: await findFreePort(),
        controlPort: await findFreePort(),
      };
      markers.push(`127.0.0.1:${settings.rtmpPort}`);
      const started = await RelayHandle.start({
        name,
        script,
        cwd: PROJECT_ROOT,
        settings,
        env: {
          RELAY_API_URL: (api as ControlPlane).baseUrl,
          RELAY_TOKEN: TEST_RELAY_TOKEN,
          RELAY_ID: id,
          RELAY_PUBLIC_HOST: '127.0.0.1',
          RELAY_BIND_HOST: '127.0.0.1',
          RELAY_RTMP_PORT: String(settings.rtmpPort),
          RELAY_HLS_PORT: String(settings.hlsPort),
          RELAY_CONTROL_PORT: String(settings.controlPort),
          RELAY_WORK_DIR: settings.workDir,
          RELAY_CAPACITY: '64',
          RELAY_HEARTBEAT_MS: '1000',
          RELAY_STATUS_INTERVAL_MS: '1000',
          RELAY_STOP_GRACE_MS: '3000',
          LOG_LEVEL: flags.relayLog,
        },
      });
      log(
        `${name} agent pid ${started.pid}: rtmp ${settings.rtmpPort}, http ${settings.hlsPort}, control ${settings.controlPort}`,
      );
      return started;
    };
    relay = await startRelay('relay', path.join(OUT_DIR, 'bench/relay/relay-process.js'), 'relay-bench');
    if (compiledBaseline) baseline = await startRelay('today', compiledBaseline.script, 'relay-bench-today');

    const ctx: BenchContext = {
      api,
      relay,
      baseline,
      sinks,
      dirtyFile: input.file,
      inputPrints: input.prints,
      scratchDir,
      streamingSec: flags.duration,
      warmupSec: flags.warmup,
      pollMs: flags.poll,
      log,
      signal: abort.signal,
    };
    const single: Partial<Record<SingleRow, StreamResult>> = {};
    const sharedCpu: { phases: string; shared: { label: string; percent: number }[] }[] = [];
    const current = relay;
    const builders: Record<SingleRow, () => Promise<Pipeline>> = {
      reference: () => referencePipeline(ctx),
      relay1: () => relayPipeline(ctx, current, 'relay-1dest', 1),
      relay3: () => relayPipeline(ctx, current, 'relay-3dest', 3),
      clean: () =>
        relayPipeline(ctx, current, 'relay-clean', 3, {
          input: cleanInput ?? undefined,
          awaitPassthrough: true,
        }),
      today1: () => relayPipeline(ctx, baseline as RelayHandle, 'today-1dest', 1),
      today3: () => relayPipeline(ctx, baseline as RelayHandle, 'today-3dest', 3),
    };
    const todayOf = { relay1: 'today1', relay3: 'today3' } as const;
    const phases: SingleRow[] = SINGLE_PHASES.filter((phase) => flags.only.includes(phase)).flatMap((phase) =>
      (phase === 'relay1' || phase === 'relay3') && baseline ? [phase, todayOf[phase]] : [phase],
    );
    for (const group of flags.sequential ? phases.map((phase) => [phase]) : phases.length > 0 ? [phases] : []) {
      if (abort.signal.aborted) break;
      log(`${group.join(' + ')}: ${flags.duration} s of streaming${group.length > 1 ? ', side by side' : ''}`);
      const pipelines: Pipeline[] = [];
      try {
        for (const phase of group) pipelines.push(await builders[phase]());
      } catch (error) {
        await Promise.all(pipelines.map((p) => p.release().catch(() => undefined)));
        throw error;
      }
      const measured = await measureTogether(ctx, pipelines);
      group.forEach((phase, i) => (single[phase] = measured.streams[i]));
      sharedCpu.push({ phases: group.join(' + '), shared: measured.shared });
    }
    let caseResults: CaseResult[] = [];
    if (cases.length > 0 && uniqueSinks && !abort.signal.aborted) {
      log(`${cases.join(' + ')}: the test kit's glasses on ${baseline ? "this relay and today's, side by side" : 'the relay'}`);
      caseResults = await runCases(ctx, [...cases], uniqueSinks);
    }
    const levels: LevelResult[] = [];
    if (flags.only.includes('ramp')) {
      for (const level of flags.ramp) {
        if (abort.signal.aborted) break;
        log(`ramp: ${level} concurrent streams (3 destinations + HLS each), ${flags.hold} s hold`);
        const result = await runLevel(ctx, level, flags.settle, flags.hold);
        levels.push(result);
        log(`  ${result.sustained ? 'sustained' : `NOT sustained: ${result.failures.join('; ')}`}`);
        if (!result.sustained) break;
      }
    }
    if (!relay.running) throw new Error('the relay agent died during the benchmark');
    if (baseline && !baseline.running) throw new Error("today's relay agent died during the benchmark");
    const cpus = os.cpus();
    printResults({
      flags,
      input,
      cleanInput: cleanInput?.description ?? null,
      machine: `Node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, load average before the run ${loadBefore}`,
      single,
      sharedCpu,
      cases: caseResults,
      baseline: compiledBaseline?.commit ?? null,
      levels,
      elapsedSec: (Date.now() - started) / 1000,
    });
    const notes = Object.values(single).flatMap((r) => r?.notes.map((note) => `${r.label}: ${note}`) ?? []);
    if (notes.some((note) => note.includes('publisher ended early'))) failed = true;
  } finally {
    if (!(await cleanUp())) failed = true;
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
