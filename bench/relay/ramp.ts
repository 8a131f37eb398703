// How many concurrent relay streams (3 destinations + HLS each) this machine carries in real time.
//
// Each level starts N publishes at once (the same dirty file, so every stream pauses and bursts at
// the same moments: a worst case), waits until every stream has HLS and media at all three sinks,
// lets the start-up backlog drain for --settle seconds, then holds for --hold seconds. A level is
// sustained when, for every stream, during the hold:
// - its glass-to-destination latency (by picture content, at the sink whose recording covers the
//   window best) comes back down: its floor (10th percentile) over the last third of the window
//   <= the floor over the first third + LATENCY_GROWTH_MS, and <= LATENCY_FLOOR_MS. An encoder that
//   cannot keep up builds a backlog that only grows, floor included. Not the median or p95: every
//   stream replays the same file, so their pauses (the replayed clock jump) and bursts coincide,
//   and the CFR gap-filling after a pause is a shared burst that delays frames for a few seconds at
//   any level; where those seconds fall in the window would decide the verdict.
//   This is the "burned-in clock" check; FFmpeg's own speed and out_time lie under overload with
//   wall-clock timestamps (RELAY-FACTS.md), and so may the relay's lag gauge, which is derived from them;
// - nginx-rtmp dropped no frame for the stream's player (/stat: it drops for a player that falls
//   behind; the agent's RTMP player since 5b6ec37, the encoder before);
// - the relay's relay_encoder_lag_seconds grew by at most LAG_GROWTH_SEC (lowest value over the last
//   third vs lowest over the first: the gauge jumps while the input pauses, then comes back);
// - HLS listed at least hold/2 - HLS_SLACK new segments (the input's pause can delay one);
// - the API reports every destination broadcasting.
import { performance } from 'node:perf_hooks';
import type { CreatedStream, StreamView } from './control-plane';
import type { MeasuredStream } from './measured-stream';
import { MachineLoad, WindowCpu } from './process-sampler';
import { droppedByStream, metricByStream } from './relay-handle';
import { relayShared, relayStream, type BenchContext } from './single-stream';
import { percentile, sleep, waitUntil } from './stats';

export const LATENCY_GROWTH_MS = 500;
export const LATENCY_FLOOR_MS = 1000;
export const LAG_GROWTH_SEC = 1;
export const HLS_SLACK = 2;
const SETUP_TIMEOUT_MS = 20_000;
const METRICS_EVERY_MS = 2000;

export interface LevelResult {
  streams: number;
  sustained: boolean;
  failures: string[];
  /** All the relay's FFmpegs over the hold, % of one core; per stream is this / streams. */
  cpuPercent: number;
  machineBusyPercent: number;
  /** Processes not of this benchmark (other work on the machine), % of one core. */
  othersPercent: number;
  /** The relay's agent + nginx, and this benchmark's own process, % of one core. */
  relaySharedPercent: number;
  benchPercent: number;
  peakRssSumMb: number;
  peakPssSumMb: number;
  firstHlsMaxSec: number | null;
  firstPacketMaxSec: number | null;
  /** Worst stream's latency floor (p10) over the first and the last third of the hold, and its median over the last third. */
  latencyFloorStartMaxMs: number | null;
  latencyFloorEndMaxMs: number | null;
  latencyMedianEndMaxMs: number | null;
  latencyP95MaxMs: number | null;
  lagGrowthMaxSec: number | null;
  encoderFpsMin: number | null;
  nginxDropped: number;
  /** Publishes a sink saw beyond the first, summed: the relay dropped and reconnected a destination. */
  destinationReconnects: number;
  hlsSegmentsMin: number;
  hlsSegmentsExpected: number;
  broadcasting: string;
}

interface LatencyThirds {
  /** 10th percentile over the first and the last third. */
  start: number | null;
  end: number | null;
  endMedian: number | null;
  p95: number | null;
  why: string;
}

interface Live {
  created: CreatedStream;
  stream: MeasuredStream;
  hlsAtStart: number;
}

export async function runLevel(ctx: BenchContext, level: number, settleSec: number, holdSec: number): Promise<LevelResult> {
  const sinks = ctx.sinks.slice(0, 3);
  const key = (run: number) => (sinkName: string) => `ramp${level}-${run}-${sinkName}-key`;
  const created = await Promise.all(
    Array.from({ length: level }, (_, i) =>
      ctx.api.createStream(
        `ramp${level}-${i}@bench.example.com`,
        sinks.map((sink) => ({ name: sink.name, url: sink.server.urlFor('live', key(i)(sink.name)) })),
        { rtmpPort: ctx.relay.settings.rtmpPort },
      ),
    ),
  );
  const live: Live[] = created.map((c, i) => ({
    created: c,
    stream: relayStream(ctx, ctx.relay, `ramp${level}-${i}`, c, sinks, key(i), 500),
    hlsAtStart: 0,
  }));
  const failures: string[] = [];
  const machine = new MachineLoad();
  const poller = setInterval(() => live.forEach((l) => l.stream.poll()), Math.max(ctx.pollMs, 50));
  try {
    await Promise.all(live.map((l) => l.stream.prepare()));
    for (const l of live) l.stream.publish(ctx.dirtyFile);
    const up = (l: Live) =>
      l.stream.hls?.firstSegmentAt != null && l.stream.destinations.every((d) => d.follower.firstMediaAt !== null);
    if (!(await waitUntil(() => ctx.signal.aborted || live.every(up), SETUP_TIMEOUT_MS, 100))) {
      failures.push(
        `${live.filter((l) => !up(l)).length} stream(s) without HLS or media at every sink after ${SETUP_TIMEOUT_MS / 1000} s`,
      );
    }
    await sleep(settleSec * 1000);
    if (ctx.signal.aborted) throw new Error('interrupted');
    // The hold window.
    const windowStart = performance.now();
    // Under overload the relay's HTTP endpoints may not answer in time: that is a finding, not a crash.
    const unanswered = new Set<string>();
    const ask = async <T>(what: string, call: () => Promise<T>, fallback: T): Promise<T> => {
      try {
        return await call();
      } catch (error) {
        unanswered.add(`${what} (${(error as Error).name})`);
        return fallback;
      }
    };
    const dropsBefore = droppedByStream(await ask('nginx /stat', () => ctx.relay.stat(), ''), 'live');
    const lags = new Map<string, { at: number; lag: number }[]>();
    const fpsMin = new Map<string, number>();
    const sampleMetrics = async () => {
      const text = await ask('agent /metrics', () => ctx.relay.metrics(), '');
      const at = performance.now();
      for (const [stream, lag] of metricByStream(text, 'relay_encoder_lag_seconds'))
        lags.set(stream, [...(lags.get(stream) ?? []), { at, lag }]);
      for (const [stream, fps] of metricByStream(text, 'relay_encoder_fps'))
        fpsMin.set(stream, Math.min(fpsMin.get(stream) ?? Infinity, fps));
    };
    await sampleMetrics();
    for (const l of live) {
      l.hlsAtStart = l.stream.hls?.segmentsProduced ?? 0;
      l.stream.sampler.startWindow();
    }
    machine.reset();
    const sharedCpu = new WindowCpu(new Map([...relayShared(ctx.relay), ['bench', process.pid]]));
    while (performance.now() < windowStart + holdSec * 1000) {
      if (ctx.signal.aborted) throw new Error('interrupted');
      await sleep(METRICS_EVERY_MS);
      await sampleMetrics();
    }
    for (const l of live) l.stream.sampler.stopWindow();
    const windowEnd = performance.now();
    const load = machine.sinceReset();
    const shared = sharedCpu.percents();
    const dropsAfter = droppedByStream(await ask('nginx /stat', () => ctx.relay.stat(), ''), 'live');
    const views = await Promise.all(
      live.map((l) => ask<StreamView | null>('API stream view', () => ctx.api.view(l.created.streamId), null)),
    );
    await Promise.all(live.map((l) => l.stream.stopPublishing()));
    // With a reconnect window the relay keeps the slate on air: the app ends the streams.
    await Promise.all(live.map((l) => ctx.api.deleteStream(l.created.streamId).catch(() => undefined)));
    await waitUntil(() => live.every((l) => ctx.relay.streamProcesses(l.created.streamId).size === 0), 20_000, 200);

    const hlsExpected = Math.floor(holdSec / 2);
    const hlsSegments = live.map((l) => (l.stream.hls?.segmentsProduced ?? 0) - l.hlsAtStart);
    const droppedPerStream = live.map((l) => {
      const name = [...dropsAfter.keys()].find((n) => n.endsWith(`/${l.created.streamId}`));
      return name ? (dropsAfter.get(name) ?? 0) - (dropsBefore.get(name) ?? 0) : 0;
    });
    const third = (windowEnd - windowStart) / 3;
    const lagGrowth = live.map((l) => {
      const series = lags.get(l.created.streamId) ?? [];
      const low = (from: number, to: number) => Math.min(...series.filter((s) => s.at >= from && s.at <= to).map((s) => s.lag));
      const growth = low(windowEnd - third, windowEnd + 1) - low(windowStart - 1, windowStart + third);
      return Number.isFinite(growth) ? growth : null;
    });
    const reconnects = live.reduce((n, l) => n + l.stream.destinations.reduce((m, d) => m + d.follower.restarts, 0), 0);
    const latencies = await latencyThirds(ctx, live, windowStart, windowEnd);
    const broadcasting = views.reduce((n, v) => n + (v?.destinations.filter((d) => d.status === 'broadcasting').length ?? 0), 0);

    const worst = (values: (number | null)[]) => {
      const known = values.filter((v): v is number => v !== null);
      return known.length ? Math.max(...known) : null;
    };
    if (Math.min(...hlsSegments) < hlsExpected - HLS_SLACK)
      failures.push(`HLS: as few as ${Math.min(...hlsSegments)} new segments in ${holdSec} s`);
    if (droppedPerStream.some((d) => d > 0))
      failures.push(`nginx dropped ${droppedPerStream.reduce((a, b) => a + b, 0)} frames for the streams' players`);
    if (lagGrowth.some((g) => g !== null && g > LAG_GROWTH_SEC))
      failures.push(`encoder lag grew by up to ${worst(lagGrowth)?.toFixed(1)} s`);
    latencies.forEach((l, i) => {
      if (l.start === null || l.end === null) failures.push(`stream ${i}: too few frames matched to judge latency (${l.why})`);
      else if (l.end > l.start + LATENCY_GROWTH_MS)
        failures.push(`stream ${i}: latency floor grew ${Math.round(l.start)} -> ${Math.round(l.end)} ms`);
      if (l.end !== null && l.end > LATENCY_FLOOR_MS)
        failures.push(`stream ${i}: latency floor ${Math.round(l.end)} ms at the end of the hold`);
    });
    if (unanswered.size > 0) failures.push(`no answer in time from ${[...unanswered].join(', ')}`);
    if (broadcasting < level * sinks.length)
      failures.push(`${level * sinks.length - broadcasting} destination(s) not broadcasting`);

    const figures = live.map((l) => l.stream.sampler.figures());
    const firstPackets = live.flatMap((l) => l.stream.destinations.map((d) => l.stream.since(d.follower.firstMediaAt)));
    const firstHls = live.map((l) => l.stream.since(l.stream.hls?.firstSegmentAt ?? null));
    return {
      streams: level,
      sustained: failures.length === 0,
      failures,
      cpuPercent: figures.reduce((sum, f) => sum + f.cpuPercent, 0),
      machineBusyPercent: load.busyPercent,
      othersPercent: load.othersPercent,
      relaySharedPercent: shared.filter((s) => s.label !== 'bench').reduce((sum, s) => sum + s.percent, 0),
      benchPercent: shared.find((s) => s.label === 'bench')?.percent ?? 0,
      peakRssSumMb: figures.reduce((sum, f) => sum + f.peakRssSumMb, 0),
      peakPssSumMb: figures.reduce((sum, f) => sum + f.peakPssSumMb, 0),
      firstHlsMaxSec: firstHls.includes(null) ? null : worst(firstHls),
      firstPacketMaxSec: firstPackets.includes(null) ? null : worst(firstPackets),
      latencyFloorStartMaxMs: worst(latencies.map((l) => l.start)),
      latencyFloorEndMaxMs: worst(latencies.map((l) => l.end)),
      latencyMedianEndMaxMs: worst(latencies.map((l) => l.endMedian)),
      latencyP95MaxMs: worst(latencies.map((l) => l.p95)),
      lagGrowthMaxSec: worst(lagGrowth),
      encoderFpsMin: fpsMin.size ? Math.min(...fpsMin.values()) : null,
      nginxDropped: droppedPerStream.reduce((a, b) => a + b, 0),
      destinationReconnects: reconnects,
      hlsSegmentsMin: Math.min(...hlsSegments),
      hlsSegmentsExpected: hlsExpected,
      broadcasting: `${broadcasting}/${level * sinks.length}`,
    };
  } finally {
    clearInterval(poller);
    await Promise.all(live.map((l) => l.stream.close()));
    await Promise.all(live.map((l) => ctx.api.deleteStream(l.created.streamId).catch(() => undefined)));
    await waitUntil(() => live.every((l) => ctx.relay.streamProcesses(l.created.streamId).size === 0), 20_000, 200);
  }
}

/**
 * Latency floor (p10) over the first and the last third of the hold, median over the last third and
 * p95 over all of it, at the sink
 * whose recording holds the most frames of the window; two decodes at a time.
 */
async function latencyThirds(ctx: BenchContext, live: Live[], windowStart: number, windowEnd: number): Promise<LatencyThirds[]> {
  const third = (windowEnd - windowStart) / 3;
  const results: LatencyThirds[] = [];
  for (let i = 0; i < live.length; i += 2) {
    const batch = live.slice(i, i + 2).map(async (l) => {
      const covering = (d: (typeof l.stream.destinations)[number]) =>
        d.follower.video.filter((t) => t.arrivedAt >= windowStart && t.arrivedAt <= windowEnd).length;
      const destination = l.stream.destinations.reduce((best, d) => (covering(d) > covering(best) ? d : best));
      const measured = await l.stream
        .latency(destination, ctx.inputPrints, ctx.scratchDir, { fromAt: windowStart, toAt: windowEnd }, ctx.signal)
        .catch((error: unknown) => {
          ctx.log(`${l.stream.label}: latency not measured: ${(error as Error).message}`);
          return null;
        });
      const samples = measured?.samples.filter((s) => s.sentAt + s.latencyMs <= windowEnd) ?? [];
      const arrival = (s: (typeof samples)[number]) => s.sentAt + s.latencyMs;
      const early = samples.filter((s) => arrival(s) < windowStart + third).map((s) => s.latencyMs);
      const late = samples.filter((s) => arrival(s) >= windowEnd - third).map((s) => s.latencyMs);
      return {
        start: early.length >= 10 ? percentile(early, 10) : null,
        end: late.length >= 10 ? percentile(late, 10) : null,
        endMedian: late.length >= 10 ? percentile(late, 50) : null,
        p95: percentile(
          samples.map((s) => s.latencyMs),
          95,
        ),
        why: measured
          ? `sink ${destination.name}: ${early.length} + ${late.length} frames in the first and last third, ${measured.unmatched} pictures unmatched`
          : `glass side not followed: ${l.stream.tapError ?? 'no frame seen'}`,
      };
    });
    results.push(...(await Promise.all(batch)));
  }
  return results;
}
