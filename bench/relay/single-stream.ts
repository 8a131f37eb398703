// The reference pipeline and the relay with 1 and with 3 destinations (and, with --baseline, today's
// relay beside it), on the same pre-recorded dirty input, measured together (default) or one at a
// time. What each one measures: CPU over the steady window (publish start + warm-up .. end) of the
// stream's own FFmpegs plus, for a relay stream, its share of its agent (the agent carries the media
// since 5b6ec37: it plays, restamps and publishes every stream), peak RSS/PSS over the whole life, first
// packet at each destination and first HLS segment after publish start, glass-to-destination
// latency by content, and the cleanliness checker's verdict on HLS (read live from its first
// segment) and on every sink's recording.
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startProcess, type ManagedProcess } from '../../relay/testkit/child-process';
import type { RtmpSinks } from '../../relay/testkit/rtmp-sinks';
import { checkStreamCleanliness } from '../../relay/testkit/stream-inspection';
import type { ControlPlane } from './control-plane';
import { MeasuredStream } from './measured-stream';
import { startPlainIngest } from './plain-ingest';
import { ModeWatch, type ModeReport } from './output-mode';
import { MachineLoad, ProcessSampler, WindowCpu, type ProcessFigures } from './process-sampler';
import { referenceFlvArgs, referenceHlsArgs } from './reference-pipeline';
import type { RelayHandle } from './relay-handle';
import { LatencySummary, sleep, summarizeLatency, waitUntil } from './stats';

/** The CPU window is at least this long, even when a stream never reaches passthrough. */
const MIN_WINDOW_MS = 5000;
/**
 * After the API first says passthrough: the encode that judged the input finishes what it was
 * given (its output still goes out) before the copy starts; its exit is not the copy's cost.
 */
const AFTER_SWITCH_MS = 1000;

export interface BenchContext {
  api: ControlPlane;
  /** The relay agent of this commit. */
  relay: RelayHandle;
  /** Today's pipeline (--baseline), or null. */
  baseline: RelayHandle | null;
  /** One nginx-rtmp per destination "platform", application `live`, recording every publish. */
  sinks: { name: string; server: RtmpSinks }[];
  dirtyFile: string;
  inputPrints: readonly Buffer[];
  scratchDir: string;
  streamingSec: number;
  warmupSec: number;
  pollMs: number;
  log: (msg: string) => void;
  /** Aborted on Ctrl-C: loops stop and nothing new starts. */
  signal: AbortSignal;
}

export interface Verdict {
  clean: boolean;
  reasons: string[];
}

export interface DestinationResult {
  name: string;
  /** Publishes the sink saw beyond the first: the relay dropped and reconnected the destination. */
  reconnects: number;
  firstPacketSec: number | null;
  latency: LatencySummary | null;
  verdict: Verdict;
}

/** A relay stream's part of its agent: the agent's figures divided by the streams it carried meanwhile. */
export interface AgentShare {
  cpuPercent: number;
  peakPssMb: number;
  streams: number;
}

export interface StreamResult {
  label: string;
  processes: ProcessFigures[];
  /** Relay streams only. */
  agentShare: AgentShare | null;
  cpuPercent: number;
  peakRssSumMb: number;
  peakPssSumMb: number;
  /** The stream's FFmpegs' peak PSS inside the CPU window only. */
  windowPeakPssSumMb: number;
  /** Processes not of this benchmark, % of one core, over the CPU window: the noise in these figures. */
  othersPercent: number;
  firstHlsSec: number | null;
  hlsVerdict: Verdict | null;
  destinations: DestinationResult[];
  /**
   * The pictures' spacing as they left the tap for the ingest (after the first second): the relay
   * restamps a picture that arrives more than 250 ms late on its arrival, which breaks a clean
   * input's constant frame rate; a gap here shows the lateness came from before the relay (the
   * replay or this benchmark's tap, on a loaded machine).
   */
  sendGaps: { maxMs: number; over250: number } | null;
  /** This benchmark's event loop (taps, followers) during the streaming: its longest stall, ms. */
  benchStallMaxMs: number;
  /** What the API said about the stream's output mode (relay streams). */
  mode: ModeReport | null;
  /** Seconds the CPU window lasted (it may start late: see awaitPassthrough). */
  windowSec: number;
  notes: string[];
}

/** A pre-recorded input other than the dirty one, and the fingerprints of its pictures. */
export interface PipelineInput {
  file: string;
  prints: readonly Buffer[];
}

/** One pipeline to measure: its stream, and how to start and end its processes around the publish. */
export interface Pipeline {
  stream: MeasuredStream;
  /** The relay agent that carries it (none for the reference). */
  relay?: RelayHandle;
  /** What its glasses replay; the dirty input when absent. */
  input?: PipelineInput;
  /** Polls the API for the stream's output mode (relay streams). */
  modeWatch?: ModeWatch;
  /**
   * The CPU window waits until the API says this stream is copied (passthrough), so that the window
   * measures the copy and not the encode that judged the input; if that never happens the window
   * starts anyway, MIN_WINDOW_MS before the end, and the stream is reported as never copied.
   */
  awaitPassthrough?: boolean;
  /** Before the glasses publish (the reference attaches its FFmpegs). */
  beforePublish?: () => Promise<void>;
  /** After the glasses stopped: make the stream's processes end. */
  afterPublish: () => Promise<void>;
  /** Always, at the end (stop what it started, delete the API stream). */
  release: () => Promise<void>;
  /** Processes it shares with others or that serve it besides its own (name -> pid), known after beforePublish. */
  shared?: () => Map<string, number>;
}

export interface TogetherResult {
  streams: StreamResult[];
  /** Shared processes (the relay's agent and nginx, the reference's nginx, this benchmark) over the CPU window. */
  shared: { label: string; percent: number }[];
}

/**
 * Measures the pipelines together: their glasses start publishing in the same instant (the same
 * file, so their content is aligned), and CPU is measured over the same window for all of them
 * (from warm-up after the last publish start to the end), so that other work on the machine and
 * the input's quiet and busy moments weigh on each alike.
 */
export async function measureTogether(ctx: BenchContext, pipelines: Pipeline[]): Promise<TogetherResult> {
  const streams = pipelines.map((p) => p.stream);
  const notes = new Map(streams.map((s) => [s, [] as string[]]));
  const hlsChecks = new Map<MeasuredStream, Promise<Verdict>>();
  const machine = new MachineLoad();
  const relays = [...new Set(pipelines.flatMap((p) => (p.relay ? [p.relay] : [])))];
  const agents = new ProcessSampler(() => new Map(relays.map((relay) => [relay.pid, relay.name])));
  let othersPercent = 0;
  let sharedCpu: WindowCpu | null = null;
  let shared: { label: string; percent: number }[] = [];
  try {
    await Promise.all(streams.map((s) => s.prepare()));
    agents.start();
    await Promise.all(pipelines.map((p) => p.beforePublish?.() ?? Promise.resolve()));
    for (const pipeline of pipelines) pipeline.stream.publish(pipeline.input?.file ?? ctx.dirtyFile);
    pipelines.forEach((p) => p.modeWatch?.start());
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    let window: { from: number; to: number } | null = null;
    const poller = setInterval(() => streams.forEach((s) => s.poll()), ctx.pollMs);
    try {
      await waitUntil(() => streams.every((s) => s.publishStartedAt !== null || !s.publisherRunning), 10_000);
      for (const s of streams) {
        if (s.publishStartedAt === null) throw new Error(`${s.label}: the publisher did not connect: ${s.publisherError()}`);
      }
      const starts = streams.map((s) => s.publishStartedAt as number);
      const windowFrom = Math.max(...starts) + ctx.warmupSec * 1000;
      const end = Math.min(...starts) + ctx.streamingSec * 1000;
      const gates = pipelines.filter((p) => p.awaitPassthrough && p.modeWatch);
      const gateOpen = () =>
        performance.now() >= end - MIN_WINDOW_MS ||
        gates.every((p) => {
          const at = p.modeWatch?.passthroughAt ?? null;
          return at !== null && performance.now() >= at + AFTER_SWITCH_MS;
        });
      let windowStarted = false;
      while (performance.now() < end) {
        if (ctx.signal.aborted) throw new Error('interrupted');
        if (!windowStarted && performance.now() >= windowFrom && gateOpen()) {
          window = { from: performance.now(), to: end };
          for (const p of gates) {
            if (p.modeWatch?.passthroughAt == null) {
              notes
                .get(p.stream)
                ?.push(
                  `never in passthrough before the CPU window had to start (${MIN_WINDOW_MS / 1000} s before the end): ` +
                    `the API said ${p.modeWatch?.current?.mode ?? 'nothing'} (${p.modeWatch?.current?.reason ?? 'no reason given'})`,
                );
            }
          }
          streams.forEach((s) => s.sampler.startWindow());
          agents.startWindow();
          machine.reset();
          sharedCpu = new WindowCpu(sharedProcesses(ctx, pipelines));
          windowStarted = true;
        }
        for (const s of streams) {
          if (hlsChecks.has(s) || s.hls?.firstSegmentAt == null) continue;
          // Read live from the first segment, up to shortly before the glasses stop.
          hlsChecks.set(s, verdictOf(s.hls.playlist, Math.max(6, Math.floor((end - performance.now()) / 1000 - 1))));
        }
        const ended = streams.find((s) => !s.publisherRunning);
        if (ended) {
          notes.get(ended)?.push(`the publisher ended early: ${ended.publisherError()}`);
          break;
        }
        await sleep(Math.min(100, ctx.pollMs));
      }
      if (!windowStarted) [...streams.map((s) => s.sampler), agents].forEach((sampler) => sampler.startWindow());
      [...streams.map((s) => s.sampler), agents].forEach((sampler) => sampler.stopWindow());
      const stoppedAt = performance.now();
      window = window ? { from: window.from, to: stoppedAt } : { from: stoppedAt, to: stoppedAt };
      pipelines.forEach((p) => p.modeWatch?.stop());
      othersPercent = machine.sinceReset().othersPercent;
      shared = sharedCpu?.percents() ?? [];
      await Promise.all(streams.map((s) => s.stopPublishing()));
      await Promise.all(pipelines.map((p) => p.afterPublish()));
      streams.forEach((s) => s.poll());
    } finally {
      clearInterval(poller);
      pipelines.forEach((p) => p.modeWatch?.stop());
      loopDelay.disable();
    }
    const agentFigures = agents.figures().processes;
    const results: StreamResult[] = [];
    for (const pipeline of pipelines) {
      const stream = pipeline.stream;
      const own = notes.get(stream) ?? [];
      const result = await resultOf(
        ctx,
        stream,
        pipeline.input?.prints ?? ctx.inputPrints,
        own,
        othersPercent,
        hlsChecks.get(stream) ?? null,
      );
      result.mode = pipeline.modeWatch?.report(stream.publishStartedAt, window) ?? null;
      result.windowSec = window ? (window.to - window.from) / 1000 : 0;
      result.benchStallMaxMs = loopDelay.max / 1e6;
      result.sendGaps = sendGaps(stream);
      const agent = pipeline.relay && agentFigures.find((p) => p.pid === pipeline.relay?.pid);
      if (agent) {
        const carried = pipelines.filter((p) => p.relay === pipeline.relay).length;
        result.agentShare = { cpuPercent: agent.cpuPercent / carried, peakPssMb: agent.peakPssMb / carried, streams: carried };
      }
      results.push(result);
    }
    return { streams: results, shared };
  } finally {
    agents.stop();
    await Promise.all(streams.map((s) => s.close()));
    await Promise.all(
      pipelines.map((p) => p.release().catch((error: unknown) => ctx.log(`${p.stream.label}: ${String(error)}`))),
    );
  }
}

function sharedProcesses(ctx: BenchContext, pipelines: Pipeline[]): Map<string, number> {
  const found = new Map<string, number>();
  for (const pipeline of pipelines) for (const [label, pid] of pipeline.shared?.() ?? []) found.set(label, pid);
  found.set('benchmark (this process: taps, followers, sampling)', process.pid);
  return found;
}

async function resultOf(
  ctx: BenchContext,
  stream: MeasuredStream,
  inputPrints: readonly Buffer[],
  notes: string[],
  othersPercent: number,
  hlsCheck: Promise<Verdict> | null,
): Promise<StreamResult> {
  const figures = stream.sampler.figures();
  if (stream.tapError) notes.push(`glass-to-destination latency unavailable: ${stream.tapError}`);
  const t0 = stream.publishStartedAt ?? 0;
  const destinations: DestinationResult[] = [];
  for (const destination of stream.destinations) {
    const [verdict, latency] = await Promise.all([
      verdictOf(destination.recording, ctx.streamingSec + 10),
      stream
        .latency(destination, inputPrints, ctx.scratchDir, { fromAt: t0 + ctx.warmupSec * 1000 }, ctx.signal)
        .catch((error: unknown) => {
          notes.push(`sink ${destination.name}: latency not measured: ${(error as Error).message}`);
          return null;
        }),
    ]);
    if (destination.follower.restarts > 0) {
      notes.push(
        `sink ${destination.name}: the relay reconnected it ${destination.follower.restarts} time(s) (its recording started over; ` +
          'the checker covers the last connection only)',
      );
    }
    destinations.push({
      name: destination.name,
      reconnects: destination.follower.restarts,
      firstPacketSec: stream.since(destination.follower.firstMediaAt),
      latency: latency && summarizeLatency(latency.samples, latency.unmatched),
      verdict,
    });
  }
  return {
    label: stream.label,
    processes: figures.processes,
    agentShare: null,
    cpuPercent: figures.cpuPercent,
    peakRssSumMb: figures.peakRssSumMb,
    peakPssSumMb: figures.peakPssSumMb,
    windowPeakPssSumMb: figures.windowPeakPssSumMb,
    othersPercent,
    firstHlsSec: stream.since(stream.hls?.firstSegmentAt ?? null),
    hlsVerdict: stream.hls ? await (hlsCheck ?? Promise.resolve({ clean: false, reasons: ['no HLS segment appeared'] })) : null,
    destinations,
    mode: null,
    windowSec: 0,
    sendGaps: null,
    benchStallMaxMs: 0,
    notes,
  };
}

function sendGaps(stream: MeasuredStream): { maxMs: number; over250: number } | null {
  const start = stream.publishStartedAt;
  const sent = stream.videoSentAt.filter((at) => start !== null && at >= start + 1000);
  if (sent.length < 2) return null;
  const gaps = sent.slice(1).map((at, i) => at - sent[i]);
  return { maxMs: Math.max(...gaps), over250: gaps.filter((gap) => gap > 250).length };
}

async function verdictOf(source: string, seconds: number): Promise<Verdict> {
  try {
    const verdict = await checkStreamCleanliness(source, { seconds });
    return { clean: verdict.clean, reasons: verdict.reasons };
  } catch (error) {
    return { clean: false, reasons: [`could not be checked: ${(error as Error).message.slice(0, 300)}`] };
  }
}

/**
 * The original design: the exact reference command (HLS), and beside it on the same publish the same
 * encode with an FLV output to sink `a` (the original's way to a platform: one encode per destination).
 * Both attach to the plain nginx-rtmp before the glasses publish, as a pipeline started with the
 * stream would; so their start-up excludes FFmpeg's own launch and connection (~0.3 s), which the
 * relay's figures include (it starts its encoder when the glasses publish).
 */
export async function referencePipeline(ctx: BenchContext): Promise<Pipeline> {
  const ingest = await startPlainIngest(ctx.scratchDir);
  const hlsDir = await mkdtemp(path.join(ctx.scratchDir, 'reference-hls-'));
  const sink = ctx.sinks[0];
  const inputUrl = `rtmp://127.0.0.1:${ingest.port}/live/reference`;
  const processes = new Map<number, string>();
  let encoders: ManagedProcess[] = [];
  const stream = new MeasuredStream({
    label: 'reference',
    ingestPort: ingest.port,
    ingestUrl: inputUrl,
    hlsPlaylist: path.join(hlsDir, 'index.m3u8'),
    destinations: [{ name: sink.name, recording: sink.server.recordingFor('live', 'reference-key') }],
    processes: () => processes,
    scratchDir: ctx.scratchDir,
  });
  return {
    stream,
    beforePublish: async () => {
      const hls = startProcess('ffmpeg', referenceHlsArgs(inputUrl, hlsDir));
      const flv = startProcess('ffmpeg', referenceFlvArgs(inputUrl, sink.server.urlFor('live', 'reference-key')));
      encoders = [hls, flv];
      processes.set(hls.pid, 'reference HLS').set(flv.pid, 'reference FLV');
      if (!(await waitUntil(() => ingest.players('reference') >= 2, 10_000))) {
        throw new Error(`the reference FFmpegs did not attach: ${hls.stderrTail()} ${flv.stderrTail()}`);
      }
    },
    // nginx-rtmp keeps the players waiting after the publisher leaves: the reference never ends by itself.
    afterPublish: async () => {
      await Promise.all(encoders.map((encoder) => encoder.stop(3000)));
    },
    release: async () => {
      await Promise.all(encoders.map((encoder) => encoder.stop(1000)));
      await ingest.stop();
    },
    shared: () => new Map([['reference nginx (its ingest)', ingest.pid]]),
  };
}

/**
 * A managed stream created through the API on `relay` with `destinationCount` destinations (sinks
 * a, b, c) and the API's default reconnect window. The app ends it (DELETE) once the glasses stop:
 * with a window the relay would otherwise keep the destinations on the slate for a minute.
 */
export async function relayPipeline(
  ctx: BenchContext,
  relay: RelayHandle,
  label: string,
  destinationCount: number,
  options: { input?: PipelineInput; awaitPassthrough?: boolean } = {},
): Promise<Pipeline> {
  const sinks = ctx.sinks.slice(0, destinationCount);
  const key = (name: string) => `${label.replace(/\W+/g, '-')}-${name}-key`;
  const created = await ctx.api.createStream(
    `${label.replace(/\W+/g, '-')}@bench.example.com`,
    sinks.map((sink) => ({ name: sink.name, url: sink.server.urlFor('live', key(sink.name)) })),
    { rtmpPort: relay.settings.rtmpPort },
  );
  let deleted = false;
  return {
    stream: relayStream(ctx, relay, label, created, sinks, key),
    relay,
    input: options.input,
    // Finely where the time to passthrough is reported; the dirty rows only need the mode.
    modeWatch: new ModeWatch(ctx.api, created.streamId, options.awaitPassthrough ? 500 : 1000),
    awaitPassthrough: options.awaitPassthrough,
    afterPublish: async () => {
      await ctx.api.deleteStream(created.streamId);
      deleted = true;
      const ended = await waitUntil(() => relay.streamProcesses(created.streamId).size === 0, 20_000, 100);
      if (!ended) ctx.log(`${label}: the relay still runs FFmpeg for the stream 20 s after it was deleted`);
    },
    release: async () => {
      if (!deleted) await ctx.api.deleteStream(created.streamId);
    },
    shared: () => relayShared(relay),
  };
}

export function relayStream(
  ctx: BenchContext,
  relay: RelayHandle,
  label: string,
  created: { streamId: string; ingestUrl: string; destinationIds: Map<string, string> },
  sinks: BenchContext['sinks'],
  key: (sinkName: string) => string,
  sampleIntervalMs?: number,
): MeasuredStream {
  const userSegment = new URL(created.ingestUrl.replace(/^rtmp:/, 'http:')).pathname.split('/')[2];
  const names = new Map([...created.destinationIds].map(([name, id]) => [id, name]));
  return new MeasuredStream({
    label,
    ingestPort: relay.settings.rtmpPort,
    ingestUrl: created.ingestUrl,
    hlsPlaylist: relay.hlsPlaylist(userSegment, created.streamId),
    destinations: sinks.map((sink) => ({ name: sink.name, recording: sink.server.recordingFor('live', key(sink.name)) })),
    processes: () =>
      new Map(
        [...relay.streamProcesses(created.streamId)].map(([pid, role]) => [
          pid,
          role === 'encoder' ? encoderKind(pid) : `forwarder → ${names.get(role) ?? role}`,
        ]),
      ),
    sampleIntervalMs,
    scratchDir: ctx.scratchDir,
  });
}

const kinds = new Map<number, string>();

/** The stream's one FFmpeg encodes, or (passthrough, since fcd1a08) copies: told apart by its command line. */
function encoderKind(pid: number): string {
  let kind = kinds.get(pid);
  if (kind === undefined) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
      const copies = args.some((arg, i) => arg === 'copy' && /^-c(:v)?$/.test(args[i - 1] ?? '')) && !args.includes('libx264');
      kind = copies ? 'copy' : 'encoder';
    } catch {
      kind = 'encoder';
    }
    kinds.set(pid, kind);
  }
  return kind;
}

/** The relay's agent and nginx: shared by every stream of that relay. */
export function relayShared(relay: RelayHandle): Map<string, number> {
  const found = new Map([[`${relay.name} agent (node)`, relay.pid]]);
  const nginx = relay.nginxPid();
  if (nginx !== null) found.set(`${relay.name} nginx`, nginx);
  return found;
}
