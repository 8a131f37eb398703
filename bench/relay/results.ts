// What the relay benchmark prints: the pipelines side by side, per process and per destination,
// the checker's reasons, ratios to the reference, the concurrency ramp, then the targets.
import { PLAN_SECONDS, type DirtyInput } from './dirty-input';
import { HLS_SLACK, LAG_GROWTH_SEC, LATENCY_FLOOR_MS, LATENCY_GROWTH_MS, type LevelResult } from './ramp';
import {
  destinationsTable,
  pipelinesTable,
  PipelineRow,
  processesTable,
  rampTable,
  ratio,
  referenceRows,
  relayRow,
  seconds,
  Target,
  table,
  targetsTable,
  verdictDetails,
} from './report';
import type { Flags } from './run';
import type { StreamResult } from './single-stream';

export interface BenchResults {
  flags: Flags;
  input: DirtyInput;
  machine: string;
  single: { reference?: StreamResult; relay1?: StreamResult; relay3?: StreamResult };
  /** Per measurement (the side-by-side run, or each sequential one): shared processes over its CPU window. */
  sharedCpu: { phases: string; shared: { label: string; percent: number }[] }[];
  levels: LevelResult[];
  elapsedSec: number;
}

export function printResults(r: BenchResults): void {
  const { flags, input, single } = r;
  const s = input.summary;
  const jumps = input.jumps.map(
    (j) => `${j.deltaMs > 0 ? '+' : ''}${(j.deltaMs / 1000).toFixed(1)} s at ${(j.atWallMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `\nRelay benchmark (${r.elapsedSec.toFixed(0)} s). ${r.machine}\n` +
      `Input: the kit's dirty stream, seed ${input.seed}, ${s.frameCount} frames per ${PLAN_SECONDS} s pass ` +
      `(${s.fps.min}-${s.fps.max} fps, keyframe gaps ${s.keyframeGapMs.min}-${s.keyframeGapMs.max} ms, clock jumps ${jumps.join(', ')}), ` +
      `${input.counterBurnedIn ? 'frame counter burned in' : 'no font: no burned-in counter'}, ${input.passes} passes in one FLV, ` +
      `replayed by \`ffmpeg -re -c copy\` (a forward jump becomes a pause, a backward one a burst).\n` +
      `${flags.sequential ? 'Each pipeline alone' : 'All pipelines side by side, their glasses publishing in the same instant'}: ` +
      `${flags.duration} s of streaming; CPU over the last ${flags.duration - flags.warmup} s, ` +
      `peak RSS over the whole life; times from publish start (the glasses' TCP connect).`,
  );

  const rows: PipelineRow[] = [];
  const ref = single.reference ? referenceRows(single.reference) : null;
  if (ref) rows.push(ref.hls, ref.flv);
  const relay1 = single.relay1 ? relayRow('relay: 1 destination + HLS', single.relay1) : null;
  const relay3 = single.relay3 ? relayRow('relay: 3 destinations + HLS', single.relay3) : null;
  if (relay1) rows.push(relay1);
  if (relay3) rows.push(relay3);
  const named = [
    ...(single.reference ? [{ pipeline: 'reference', result: single.reference }] : []),
    ...(single.relay1 ? [{ pipeline: 'relay 1 dest', result: single.relay1 }] : []),
    ...(single.relay3 ? [{ pipeline: 'relay 3 dest', result: single.relay3 }] : []),
  ];
  if (rows.length > 0) {
    console.log(`\n${pipelinesTable(rows)}`);
    console.log(
      "CPU: utime+stime of the stream's FFmpegs (relay: encoder + forwarders; nginx and the agent are shared and not counted). " +
        "RSS: VmRSS summed over the processes, sampled together; PSS divides shared pages (FFmpeg's libraries) among the processes " +
        'mapping them, which RSS counts once per process.\nglass→dest: for each frame the glasses sent after the warm-up, the time from ' +
        "its send (RTMP tap in front of the ingest) to the first picture showing it in the sink's recording (decoded, matched by a " +
        'thumbnail fingerprint to the input frame; frames the CFR conversion dropped are not counted). A frame sent just before the ' +
        "input's pause (the replayed forward clock jump) waits for the next packet in every design: that is the max.\n" +
        'others % core: CPU used meanwhile by processes not of this benchmark (other work on this machine skews every figure).',
    );
    console.log(`\nPer process\n${processesTable(named)}`);
    for (const { phases, shared } of r.sharedCpu) {
      console.log(
        `Shared, not in the rows above (${phases}), % of a core: ${shared.map((s) => `${s.label} ${s.percent.toFixed(1)}`).join(', ')}`,
      );
    }
    console.log(`\nPer destination\n${destinationsTable(named)}`);
    const details = verdictDetails(
      named.flatMap(({ pipeline, result }) => [
        { source: `${pipeline} HLS`, verdict: result.hlsVerdict },
        ...result.destinations.map((d) => ({ source: `${pipeline} sink ${d.name}`, verdict: d.verdict })),
      ]),
    );
    if (details.length > 0) console.log(`\nCleanliness checker, failed checks\n${details.join('\n')}`);
    const notes = named.flatMap(({ pipeline, result }) => result.notes.map((note) => `${pipeline}: ${note}`));
    if (notes.length > 0) console.log(`\nNotes\n${notes.join('\n')}`);
  }

  if (ref && (relay1 || relay3)) {
    const refBoth = ref.hls.cpuPercent + ref.flv.cpuPercent;
    const refBothRss = ref.hls.peakRssSumMb + ref.flv.peakRssSumMb;
    const line = (label: string, row: PipelineRow | null) =>
      row
        ? [
            label,
            ratio(row.cpuPercent, ref.hls.cpuPercent),
            ratio(row.cpuPercent, refBoth),
            ratio(row.peakRssSumMb, ref.hls.peakRssSumMb),
            ratio(row.peakRssSumMb, refBothRss),
            ratio(row.firstPacketSec, ref.flv.firstPacketSec),
            ratio(row.firstHlsSec, ref.hls.firstHlsSec),
          ]
        : null;
    const body = [line('relay 1 dest + HLS', relay1), line('relay 3 dest + HLS', relay3)].filter(
      (l): l is string[] => l !== null,
    );
    console.log(
      `\nRatios to the reference (below 1 is better; "ref HLS+FLV" = the original design's cost for HLS + one destination: two encodes)\n` +
        table([
          [
            'relay',
            'CPU vs ref HLS',
            'CPU vs ref HLS+FLV',
            'RSS vs ref HLS',
            'RSS vs ref HLS+FLV',
            'first packet vs ref FLV',
            'first HLS vs ref',
          ],
          ...body,
        ]),
    );
  }
  if (relay1 && relay3) console.log(`3 destinations / 1 destination CPU: ${ratio(relay3.cpuPercent, relay1.cpuPercent)}`);

  if (r.levels.length > 0) {
    const best = r.levels.filter((l) => l.sustained).pop();
    console.log(
      `\nConcurrent relay streams (3 destinations + HLS each), all started together; ${flags.hold} s hold, ${flags.settle} s after all are up\n` +
        `${rampTableWithFailures(r.levels)}\n` +
        `Sustained = for every stream during the hold: its glass→dest latency comes back down (floor = 10th percentile over the ` +
        `last third <= first third + ${LATENCY_GROWTH_MS} ms, and <= ${LATENCY_FLOOR_MS} ms: a backlog that only grows raises the floor; ` +
        `the pauses and bursts of the replayed input coincide across streams and make the median jump at any level), ` +
        `no frame dropped by nginx for its encoder, relay_encoder_lag_seconds growth <= ${LAG_GROWTH_SEC} s (lowest of each third), ` +
        `>= hold/2 - ${HLS_SLACK} new HLS segments, every destination broadcasting at the end. ` +
        `dest reconnects: new publishes the sinks saw (the relay dropped and reconnected a destination); not part of the verdict.\n` +
        `Highest sustained level: ${best ? best.streams : 'none'}${r.levels.every((l) => l.sustained) ? ' (every level tried was sustained; raise --ramp to find the limit)' : ''}.`,
    );
  }

  const targets = computeTargets(r, ref, relay1, relay3);
  if (targets.length > 0) console.log(`\n${targetsTable(targets)}`);
}

function rampTableWithFailures(levels: LevelResult[]): string {
  const failed = levels.filter((l) => !l.sustained).map((l) => `  ${l.streams} streams: ${l.failures.join('; ')}`);
  return [rampTable(levels), ...failed].join('\n');
}

function computeTargets(
  r: BenchResults,
  ref: { hls: PipelineRow; flv: PipelineRow } | null,
  relay1: PipelineRow | null,
  relay3: PipelineRow | null,
): Target[] {
  const list: Target[] = [];
  const relays = [
    { name: '1 dest + HLS', row: relay1 },
    { name: '3 dest + HLS', row: relay3 },
  ].filter((x): x is { name: string; row: PipelineRow } => x.row !== null);
  for (const { name, row } of relays) {
    const first = row.firstPacketSec ?? null;
    list.push({
      label: `first packet <= 1.0 s (${name}, slowest sink)`,
      measured: `${seconds(first)} s`,
      met: first !== null && first <= 1.0,
    });
  }
  for (const { name, row } of relays) {
    const first = row.firstHlsSec ?? null;
    list.push({
      label: `first HLS segment <= 2.5 s (${name})`,
      measured: `${seconds(first)} s`,
      met: first !== null && first <= 2.5,
    });
  }
  if (relay1 && relay3) {
    const k = relay3.cpuPercent / relay1.cpuPercent;
    list.push({ label: '3 dest <= 1.15 × CPU of 1 dest', measured: `${k.toFixed(2)}×`, met: k <= 1.15 });
  }
  if (ref) {
    for (const { name, row } of relays) {
      const clean = (row.hlsVerdict?.clean ?? false) && (row.sinkVerdict?.clean ?? false);
      list.push({
        label: `CPU per stream <= reference, checker PASS (${name})`,
        measured: `${row.cpuPercent.toFixed(1)} % vs ${ref.hls.cpuPercent.toFixed(1)} %, checker ${clean ? 'PASS' : 'FAIL'}`,
        met: clean && row.cpuPercent <= ref.hls.cpuPercent,
      });
    }
  }
  for (const { name, row } of relays) {
    list.push({
      label: `peak RSS <= 60 MB per stream (${name})`,
      measured: `${row.peakRssSumMb.toFixed(0)} MB`,
      met: row.peakRssSumMb <= 60,
    });
  }
  if (r.levels.length > 0) {
    const best = r.levels.filter((l) => l.sustained).pop()?.streams ?? 0;
    list.push({
      label: '>= 10 concurrent streams in real time',
      measured: `${best}${r.levels.every((l) => l.sustained) ? '+' : ''}`,
      met: best >= 10,
    });
  }
  return list;
}
