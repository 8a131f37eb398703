// The relay benchmark's printed results. Pure formatting, no I/O.
import { Target, targetsTable } from '../api/report';
import { modeCell } from './output-mode';
import type { LevelResult } from './ramp';
import type { DestinationResult, StreamResult, Verdict } from './single-stream';
import type { LatencySummary } from './stats';

/** A line of the pipelines table: a whole measured stream, or part of one (the reference's two FFmpegs). */
export interface PipelineRow {
  label: string;
  processes: number;
  /** Per stream: its FFmpegs + its share of the agent (relay rows), % of one core. */
  cpuPercent: number;
  ffmpegCpuPercent: number;
  agentCpuPercent: number;
  /** The FFmpegs' RSS (the agent's is not divisible: its share is in PSS). */
  peakRssSumMb: number;
  /** Per stream: its FFmpegs' peak PSS + its share of the agent's. */
  peakPssSumMb: number;
  ffmpegPssMb: number;
  agentPssMb: number;
  /** Other work on the machine meanwhile, % of one core. */
  othersPercent: number;
  /** undefined: not applicable (no destination / no HLS). */
  firstPacketSec?: number | null;
  firstHlsSec?: number | null;
  latency?: LatencySummary | null;
  hlsVerdict?: Verdict | null;
  sinkVerdict?: Verdict | null;
  /** Relay rows: the output modes the API gave during the CPU window ('encode', 'passthrough'). */
  mode?: string;
}

/** The reference as two rows: the exact command (HLS), and its FLV variant (a destination). */
export function referenceRows(ref: StreamResult): { hls: PipelineRow; flv: PipelineRow } {
  const part = (label: string) => ref.processes.filter((p) => p.label === label);
  const sum = (label: string, key: 'cpuPercent' | 'peakRssMb' | 'peakPssMb') =>
    part(label).reduce((total, p) => total + p[key], 0);
  const destination = ref.destinations[0];
  return {
    hls: {
      label: 'reference: exact command (HLS)',
      processes: part('reference HLS').length,
      cpuPercent: sum('reference HLS', 'cpuPercent'),
      ffmpegCpuPercent: sum('reference HLS', 'cpuPercent'),
      agentCpuPercent: 0,
      peakRssSumMb: sum('reference HLS', 'peakRssMb'),
      peakPssSumMb: sum('reference HLS', 'peakPssMb'),
      ffmpegPssMb: sum('reference HLS', 'peakPssMb'),
      agentPssMb: 0,
      othersPercent: ref.othersPercent,
      firstHlsSec: ref.firstHlsSec,
      hlsVerdict: ref.hlsVerdict,
    },
    flv: {
      label: `reference: FLV variant → sink ${destination?.name ?? '?'}`,
      processes: part('reference FLV').length,
      cpuPercent: sum('reference FLV', 'cpuPercent'),
      ffmpegCpuPercent: sum('reference FLV', 'cpuPercent'),
      agentCpuPercent: 0,
      peakRssSumMb: sum('reference FLV', 'peakRssMb'),
      peakPssSumMb: sum('reference FLV', 'peakPssMb'),
      ffmpegPssMb: sum('reference FLV', 'peakPssMb'),
      agentPssMb: 0,
      othersPercent: ref.othersPercent,
      firstPacketSec: destination?.firstPacketSec ?? null,
      latency: destination?.latency ?? null,
      sinkVerdict: destination?.verdict ?? null,
    },
  };
}

export function relayRow(label: string, result: StreamResult): PipelineRow {
  const firsts = result.destinations.map((d) => d.firstPacketSec);
  const agentCpu = result.agentShare?.cpuPercent ?? 0;
  const agentPss = result.agentShare?.peakPssMb ?? 0;
  return {
    label,
    processes: result.processes.length,
    cpuPercent: result.cpuPercent + agentCpu,
    ffmpegCpuPercent: result.cpuPercent,
    agentCpuPercent: agentCpu,
    peakRssSumMb: result.peakRssSumMb,
    peakPssSumMb: result.peakPssSumMb + agentPss,
    ffmpegPssMb: result.peakPssSumMb,
    agentPssMb: agentPss,
    othersPercent: result.othersPercent,
    firstPacketSec: firsts.includes(null) ? null : Math.max(...(firsts as number[])),
    firstHlsSec: result.firstHlsSec,
    latency: worstLatency(result.destinations),
    hlsVerdict: result.hlsVerdict,
    sinkVerdict: combined(result.destinations.map((d) => d.verdict)),
    mode: result.mode ? modeCell(result.mode.inWindow) : undefined,
  };
}

function worstLatency(destinations: DestinationResult[]): LatencySummary | null {
  const known = destinations.map((d) => d.latency).filter((l): l is LatencySummary => l !== null && l.medianMs !== null);
  return known.length ? known.reduce((a, b) => ((b.medianMs ?? 0) > (a.medianMs ?? 0) ? b : a)) : null;
}

function combined(verdicts: Verdict[]): Verdict | null {
  if (verdicts.length === 0) return null;
  return { clean: verdicts.every((v) => v.clean), reasons: verdicts.flatMap((v) => v.reasons) };
}

export function pipelinesTable(rows: PipelineRow[]): string {
  const header = [
    'pipeline',
    'output mode',
    'FFmpegs',
    'CPU % core: FFmpeg',
    '+agent',
    '=stream',
    'peak RSS MB (FFmpeg)',
    'peak PSS MB: FFmpeg',
    '+agent',
    '=stream',
    'first packet s',
    'first HLS s',
    'glass→dest ms p50/p95/max',
    'HLS check',
    'sink check',
    'others % core',
  ];
  return table([
    header,
    ...rows.map((row) => [
      row.label,
      row.mode ?? '-',
      String(row.processes),
      row.ffmpegCpuPercent.toFixed(1),
      row.agentCpuPercent.toFixed(1),
      row.cpuPercent.toFixed(1),
      row.peakRssSumMb.toFixed(0),
      row.ffmpegPssMb.toFixed(0),
      row.agentPssMb.toFixed(0),
      row.peakPssSumMb.toFixed(0),
      seconds(row.firstPacketSec),
      seconds(row.firstHlsSec),
      row.latency === undefined ? '-' : latencyCell(row.latency),
      verdictCell(row.hlsVerdict),
      verdictCell(row.sinkVerdict),
      row.othersPercent.toFixed(0),
    ]),
  ]);
}

export function processesTable(results: { pipeline: string; result: StreamResult }[]): string {
  const rows = results.flatMap(({ pipeline, result }) => [
    ...result.processes.map((p) => [
      pipeline,
      p.label,
      String(p.pid),
      p.cpuPercent.toFixed(1),
      p.peakRssMb.toFixed(1),
      p.peakPssMb.toFixed(1),
    ]),
    ...(result.agentShare
      ? [
          [
            pipeline,
            `agent share (1/${result.agentShare.streams})`,
            '-',
            result.agentShare.cpuPercent.toFixed(1),
            '-',
            result.agentShare.peakPssMb.toFixed(1),
          ],
        ]
      : []),
  ]);
  return table([['pipeline', 'process', 'pid', 'CPU % core', 'peak RSS MB', 'peak PSS MB'], ...rows]);
}

export function destinationsTable(results: { pipeline: string; result: StreamResult }[]): string {
  const rows = results.flatMap(({ pipeline, result }) =>
    result.destinations.map((d) => [
      pipeline,
      d.name,
      String(d.reconnects),
      seconds(d.firstPacketSec),
      latencyCell(d.latency),
      d.latency ? `${d.latency.frames}${d.latency.unmatched ? ` (+${d.latency.unmatched} unmatched)` : ''}` : '-',
      verdictCell(d.verdict),
    ]),
  );
  return table([['pipeline', 'sink', 'reconnects', 'first packet s', 'glass→dest ms p50/p95/max', 'frames', 'checker'], ...rows]);
}

/** Every failed check, once per source. */
export function verdictDetails(entries: { source: string; verdict: Verdict | null | undefined }[]): string[] {
  return entries
    .filter((e) => e.verdict && !e.verdict.clean)
    .flatMap((e) => [`${e.source}:`, ...(e.verdict as Verdict).reasons.map((reason) => `  - ${reason}`)]);
}

export function rampTable(levels: LevelResult[]): string {
  const header = [
    'streams',
    'sustained',
    'CPU % core (all)',
    'per stream',
    'machine busy %',
    'agent+nginx % core',
    'bench % core',
    'others % core',
    'peak RSS MB (all)',
    'peak PSS MB (all)',
    'first packet max s',
    'first HLS max s',
    'glass→dest p10 start→end ms',
    'p50 end ms',
    'p95 max ms',
    'lag growth s',
    'nginx drops',
    'dest reconnects',
    'HLS segs min/exp',
    'broadcasting',
  ];
  return table([
    header,
    ...levels.map((l) => [
      String(l.streams),
      l.sustained ? 'yes' : 'NO',
      l.cpuPercent.toFixed(0),
      (l.cpuPercent / l.streams).toFixed(1),
      l.machineBusyPercent.toFixed(0),
      l.relaySharedPercent.toFixed(0),
      l.benchPercent.toFixed(0),
      l.othersPercent.toFixed(0),
      l.peakRssSumMb.toFixed(0),
      l.peakPssSumMb.toFixed(0),
      seconds(l.firstPacketMaxSec),
      seconds(l.firstHlsMaxSec),
      `${ms(l.latencyFloorStartMaxMs)}→${ms(l.latencyFloorEndMaxMs)}`,
      ms(l.latencyMedianEndMaxMs),
      ms(l.latencyP95MaxMs),
      l.lagGrowthMaxSec === null ? '-' : l.lagGrowthMaxSec.toFixed(2),
      String(l.nginxDropped),
      String(l.destinationReconnects),
      `${l.hlsSegmentsMin}/${l.hlsSegmentsExpected}`,
      l.broadcasting,
    ]),
  ]);
}

export function ratio(value: number | null | undefined, base: number | null | undefined): string {
  if (value === null || value === undefined || base === null || base === undefined || base === 0) return '-';
  return `${(value / base).toFixed(2)}×`;
}

export { targetsTable, type Target };

export function seconds(value: number | null | undefined): string {
  if (value === undefined) return '-';
  return value === null ? 'never' : value.toFixed(2);
}

function ms(value: number | null): string {
  return value === null ? '-' : String(Math.round(value));
}

function latencyCell(latency: LatencySummary | null): string {
  if (!latency || latency.medianMs === null) return 'n/a';
  return `${ms(latency.medianMs)}/${ms(latency.p95Ms)}/${ms(latency.maxMs)}`;
}

function verdictCell(verdict: Verdict | null | undefined): string {
  if (verdict === undefined || verdict === null) return '-';
  return verdict.clean ? 'PASS' : `FAIL (${verdict.reasons.length})`;
}

/** First column left-aligned, the others right-aligned. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
}
