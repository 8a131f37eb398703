// Two input shapes the dirty replay does not have, published by the test kit's glasses (publishGlasses,
// its own RTMP client) to each relay under test at once (this commit's, and today's with --baseline):
// - drop: a dirty publish that leaves for DROP_CASE.forSec and comes back, reconnect window 60 s.
//   Per sink: publishes (sessions) the sink saw, the longest DTS step inside a session, the longest
//   wall-clock wait between two pictures arriving, the still span covering the drop (the slate is a
//   still picture: freezedetect), the seconds from the glasses' return to the first live (not still)
//   picture arriving, and the checker's verdict on every session.
// - shapes: a publish with no audio track that changes size 1280x720 -> 640x480 halfway. Per output
//   (HLS, read live from its first segment, and the sink): the checker's verdict and the picture sizes.
// The sinks record one file per publish (record_unique), so a destination that was dropped and
// reconnected shows as a second session. The app ends each stream (DELETE) 1.5 s after its glasses.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { publishGlasses, type GlassesOptions, type GlassesReport } from '../../relay/testkit/glasses-publisher';
import type { RtmpSinks } from '../../relay/testkit/rtmp-sinks';
import { checkStreamCleanliness } from '../../relay/testkit/stream-inspection';
import type { CreatedStream } from './control-plane';
import { FlvFollower, HlsFollower } from './flv-follower';
import { frameSizeRuns, frozenSpans, longestDtsGapMs, type Span } from '../../relay/testkit/recording-analysis';
import type { RelayHandle } from './relay-handle';
import type { BenchContext, Verdict } from './single-stream';
import { sleep, waitUntil } from './stats';

export const DROP_CASE = { seed: 11, durationSec: 30, atSec: 8, forSec: 10, windowSec: 60, sinks: ['a', 'b'] };
export const SHAPES_CASE = { seed: 12, durationSec: 20, atSec: 10, from: '1280x720', to: '640x480', sinks: ['a'] };
const APP = 'live';
/** Wider than any stream here: the checker reads whole recordings. */
const CHECK_SECONDS = 180;

export type CaseName = 'drop' | 'shapes';

export interface OutputResult {
  /** `sink a`, `HLS`. */
  output: string;
  /** Publishes the sink saw (HLS: 1 when a segment appeared, else 0). */
  sessions: number;
  verdict: Verdict;
  longestDtsGapMs?: { video: number | null; audio: number | null };
  /** Longest wall-clock wait between two pictures arriving, across sessions. */
  longestSilenceMs?: number | null;
  /** Longest still span (s) in any session: the slate, when there is one. */
  stillSec?: number | null;
  /** Seconds from the glasses' new publish to the first live picture arriving at the sink. */
  returnToLiveSec?: number | null;
  /** Decoded picture sizes in order, as runs. */
  sizes?: { size: string; frames: number }[];
}

export interface CaseResult {
  caseName: CaseName;
  /** The relay's name: `relay` or `today`. */
  pipeline: string;
  /** drop: the glasses' time away (s), from their report. */
  awaySec: number | null;
  outputs: OutputResult[];
  notes: string[];
}

/** Every recording nginx makes of one key, followed as it grows (one per publish). */
class SessionsFollower {
  readonly sessions: { file: string; follower: FlvFollower }[] = [];

  constructor(
    private readonly sinks: RtmpSinks,
    private readonly key: string,
    private readonly scratchDir: string,
  ) {}

  poll(now = performance.now()): void {
    for (const file of this.sinks.recordingsFor(APP, this.key).slice(this.sessions.length)) {
      const copy = path.join(this.scratchDir, `${path.basename(file, '.flv')}-video.bin`);
      this.sessions.push({ file, follower: new FlvFollower(file, copy) });
    }
    for (const session of this.sessions) session.follower.poll(now);
  }

  close(): void {
    for (const session of this.sessions) session.follower.close();
  }
}

interface CaseStream {
  caseName: CaseName;
  relay: RelayHandle;
  created: CreatedStream;
  sinks: Map<string, SessionsFollower>;
  hls: HlsFollower;
  hlsChecks: Promise<[Verdict, { size: string; frames: number }[]]> | null;
  report: GlassesReport | null;
  notes: string[];
}

/** Runs the chosen cases on every relay under test, all publishing at once; `sinks` must record unique. */
export async function runCases(ctx: BenchContext, cases: CaseName[], sinks: RtmpSinks): Promise<CaseResult[]> {
  const relays = [ctx.relay, ...(ctx.baseline ? [ctx.baseline] : [])];
  const streams: CaseStream[] = [];
  const poll = () => {
    const now = performance.now();
    for (const s of streams) {
      s.sinks.forEach((f) => f.poll(now));
      s.hls.poll(now);
    }
  };
  let poller: NodeJS.Timeout | null = null;
  try {
    for (const caseName of cases) {
      for (const relay of relays) {
        const sinkNames = caseName === 'drop' ? DROP_CASE.sinks : SHAPES_CASE.sinks;
        const key = (sink: string) => `${caseName}-${relay.name}-${sink}`;
        const created = await ctx.api.createStream(
          `${caseName}-${relay.name}@bench.example.com`,
          sinkNames.map((sink) => ({ name: sink, url: sinks.urlFor(APP, key(sink)) })),
          { rtmpPort: relay.settings.rtmpPort, ...(caseName === 'drop' ? { reconnectWindowSeconds: DROP_CASE.windowSec } : {}) },
        );
        const userSegment = new URL(created.ingestUrl.replace(/^rtmp:/, 'http:')).pathname.split('/')[2];
        streams.push({
          caseName,
          relay,
          created,
          sinks: new Map(sinkNames.map((sink) => [sink, new SessionsFollower(sinks, key(sink), ctx.scratchDir)])),
          hls: new HlsFollower(relay.hlsPlaylist(userSegment, created.streamId)),
          hlsChecks: null,
          report: null,
          notes: [],
        });
      }
    }
    poller = setInterval(poll, Math.max(ctx.pollMs, 50));
    const publishes = streams.map((s) => {
      const options: GlassesOptions =
        s.caseName === 'drop'
          ? {
              seed: DROP_CASE.seed,
              durationSec: DROP_CASE.durationSec,
              drops: [{ atSec: DROP_CASE.atSec, forSec: DROP_CASE.forSec }],
            }
          : {
              seed: SHAPES_CASE.seed,
              durationSec: SHAPES_CASE.durationSec,
              audio: 'none',
              size: SHAPES_CASE.from,
              resizes: [{ atSec: SHAPES_CASE.atSec, size: SHAPES_CASE.to }],
            };
      const glasses = publishGlasses(s.created.ingestUrl, { ...options, signal: ctx.signal });
      return glasses.done.then(
        async (report) => {
          s.report = report;
          // The app ends the stream shortly after the glasses: the window would keep the slate on air.
          await sleep(1500);
          await ctx.api.deleteStream(s.created.streamId);
        },
        async (error: unknown) => {
          s.notes.push(`the glasses failed: ${(error as Error).message.slice(0, 300)}`);
          await ctx.api.deleteStream(s.created.streamId).catch(() => undefined);
        },
      );
    });
    const allDone = Promise.all(publishes);
    let finished = false;
    void allDone.finally(() => (finished = true));
    while (!finished) {
      if (ctx.signal.aborted) throw new Error('interrupted');
      for (const s of streams) {
        // HLS is read live from its first segment (it is deleted as it goes).
        if (s.caseName === 'shapes' && !s.hlsChecks && s.hls.firstSegmentAt !== null) {
          s.hlsChecks = Promise.all([
            verdictOf(s.hls.playlist, SHAPES_CASE.durationSec + 10),
            frameSizeRuns(s.hls.playlist, SHAPES_CASE.durationSec + 10).catch(() => []),
          ]);
        }
      }
      await sleep(100);
    }
    await allDone;
    for (const s of streams) {
      const ended = await waitUntil(() => s.relay.streamProcesses(s.created.streamId).size === 0, 20_000, 200);
      if (!ended) s.notes.push('the relay still ran FFmpeg for the stream 20 s after it was deleted');
    }
    await sleep(500);
    poll();
  } finally {
    if (poller) clearInterval(poller);
    streams.forEach((s) => s.sinks.forEach((f) => f.close()));
    await Promise.all(streams.map((s) => ctx.api.deleteStream(s.created.streamId).catch(() => undefined)));
  }
  const results: CaseResult[] = [];
  for (const s of streams) results.push(await analyse(s));
  return results;
}

async function analyse(s: CaseStream): Promise<CaseResult> {
  const drop = s.report?.drops[0];
  const awaySec = drop?.returnedAt !== undefined ? (drop.returnedAt - drop.droppedAt) / 1000 : null;
  const outputs: OutputResult[] = [];
  for (const [name, follower] of s.sinks) {
    const sessions = follower.sessions.filter((session) => session.follower.video.length > 0);
    const checked = await Promise.all(sessions.map((session) => checkFile(session.file)));
    const output: OutputResult = {
      output: `sink ${name}`,
      sessions: follower.sessions.length,
      verdict: combined(checked.map((c) => c.verdict)),
    };
    if (s.caseName === 'drop') {
      const gaps = checked.map((c) => c.gaps);
      output.longestDtsGapMs = {
        video: maxOf(gaps.map((g) => g?.video ?? null)),
        audio: maxOf(gaps.map((g) => g?.audio ?? null)),
      };
      const arrivals = sessions.flatMap((session) =>
        session.follower.video.filter((t) => !t.sequenceHeader).map((t) => t.arrivedAt),
      );
      arrivals.sort((a, b) => a - b);
      output.longestSilenceMs = arrivals.length > 1 ? Math.max(...arrivals.slice(1).map((at, i) => at - arrivals[i])) : null;
      const stills = await Promise.all(sessions.map((session) => frozenSpans(session.file).catch(() => [] as Span[])));
      const lengths = stills.flat().map((span) => (Number.isFinite(span.end) ? span.end - span.start : 0));
      output.stillSec = lengths.length > 0 ? Math.max(...lengths) : null;
      output.returnToLiveSec = drop?.returnedAt !== undefined ? returnToLive(sessions, stills, drop.returnedAt) : null;
    } else {
      const runs = await Promise.all(sessions.map((session) => frameSizeRuns(session.file).catch(() => [])));
      output.sizes = runs.flat();
    }
    outputs.push(output);
  }
  if (s.caseName === 'shapes') {
    const [verdict, sizes] = (await s.hlsChecks) ?? [{ clean: false, reasons: ['no HLS segment appeared'] }, []];
    outputs.unshift({ output: 'HLS', sessions: s.hlsChecks ? 1 : 0, verdict, sizes });
  }
  return { caseName: s.caseName, pipeline: s.relay.name, awaySec, outputs, notes: s.notes };
}

/**
 * Seconds from `returnedAt` (Date.now()) to the first picture that arrived after it and is not
 * part of a still span of its session (the slate). Arrivals are performance.now() values; a tag's
 * place in its session's still spans is its FLV timestamp from the session's first picture.
 */
function returnToLive(sessions: { follower: FlvFollower }[], stills: Span[][], returnedAt: number): number | null {
  for (const [i, session] of sessions.entries()) {
    const pictures = session.follower.video.filter((t) => !t.sequenceHeader);
    const base = pictures[0]?.timestampMs ?? 0;
    for (const tag of pictures) {
      const arrived = performance.timeOrigin + tag.arrivedAt;
      if (arrived < returnedAt) continue;
      const at = (tag.timestampMs - base) / 1000;
      if (!stills[i].some((span) => at >= span.start - 0.05 && at < span.end)) return (arrived - returnedAt) / 1000;
    }
  }
  return null;
}

async function checkFile(file: string): Promise<{ verdict: Verdict; gaps: ReturnType<typeof longestDtsGapMs> | null }> {
  try {
    const verdict = await checkStreamCleanliness(file, { seconds: CHECK_SECONDS });
    return { verdict: { clean: verdict.clean, reasons: verdict.reasons }, gaps: longestDtsGapMs(verdict.probe) };
  } catch (error) {
    return {
      verdict: { clean: false, reasons: [`could not be checked: ${(error as Error).message.slice(0, 300)}`] },
      gaps: null,
    };
  }
}

async function verdictOf(source: string, seconds: number): Promise<Verdict> {
  try {
    const verdict = await checkStreamCleanliness(source, { seconds });
    return { clean: verdict.clean, reasons: verdict.reasons };
  } catch (error) {
    return { clean: false, reasons: [`could not be checked: ${(error as Error).message.slice(0, 300)}`] };
  }
}

function combined(verdicts: Verdict[]): Verdict {
  if (verdicts.length === 0) return { clean: false, reasons: ['no output'] };
  return {
    clean: verdicts.every((v) => v.clean),
    reasons: verdicts.flatMap((v, i) =>
      v.reasons.map((reason) => (verdicts.length > 1 ? `session ${i + 1}: ${reason}` : reason)),
    ),
  };
}

function maxOf(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length > 0 ? Math.max(...known) : null;
}
