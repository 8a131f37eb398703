// The API benchmark's printed results: one row per endpoint at saturation, each compared with
// the trivial endpoint; one row per endpoint at a fixed offered rate; then the targets beside
// today's figures (baseline.ts). Pure formatting, no I/O.

export interface PhaseFigures {
  label: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  /** Non-2xx responses plus socket errors and timeouts. */
  errors: number;
  /** e.g. { '500': 3, 'socket errors': 1 } */
  errorBreakdown: Record<string, number>;
  errorSamples: string[];
  /** CPU time (user + system) of the server process per request sent: what caps req/s once it is busy. */
  serverCpuMsPerRequest: number;
  queriesPerRequest: number;
}

/** One endpoint at a fixed offered rate (open loop); latency from each request's scheduled send time. */
export interface RateFigures {
  label: string;
  /** Requests/s offered. */
  offered: number;
  /** 2xx responses per second of the run (until the last answer). */
  answeredPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** A timed-out request counts as this latency: a percentile here means "at least". */
  timeoutMs: number;
  /** Requests scheduled. */
  requests: number;
  /** Non-2xx responses, socket errors and timeouts. */
  errors: number;
  errorBreakdown: Record<string, number>;
  errorSamples: string[];
  serverCpuMsPerRequest: number;
  queriesPerRequest: number;
  /** How late the load generator itself sent at worst: large values mean the client, not the server, was slow. */
  maxSendLagMs: number;
}

/** The figures the targets are about; any may be missing when a phase was not run. */
export interface Summary {
  pingPerSecond?: number;
  /** Server CPU ms per ping: the unit that makes CPU per request comparable across busy and quiet runs. */
  pingCpuMsPerRequest?: number;
  createAtRate?: { offered: number; p50: number; p99: number; errors: number; requests: number; timeoutMs: number };
  getAtRate?: { offered: number; p50: number; p99: number; errors: number; requests: number; timeoutMs: number };
  createSaturation?: { perSecond: number; vsPing?: number; p99: number; sqlPerRequest: number; cpuMsPerRequest: number };
  getSaturation?: { perSecond: number; vsPing?: number; p99: number; sqlPerRequest: number; cpuMsPerRequest: number };
}

export interface Target {
  label: string;
  /** The measured value, formatted. */
  measured: string;
  met: boolean;
}

/** A target (or a figure shown for comparison) with today's value beside this run's. */
export interface ComparedTarget {
  label: string;
  /** Today's value (targets.ts), formatted; '-' when not recorded. */
  today: string;
  /** This run's value, formatted. */
  measured: string;
  /** null: a figure shown for comparison, not a target. */
  met: boolean | null;
}

export function resultsTable(rows: PhaseFigures[], baseline: PhaseFigures | undefined): string {
  const header = [
    'endpoint',
    'req/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'req/s vs ping',
    'p50 vs ping',
    'p99 vs ping',
    'server CPU ms/req',
    'SQL/req',
  ];
  const body = rows.map((row) => [
    row.label,
    formatNumber(row.requestsPerSecond),
    formatMs(row.p50),
    formatMs(row.p99),
    `${row.errors}/${row.requests}`,
    ratio(row.requestsPerSecond, baseline?.requestsPerSecond),
    ratio(row.p50, baseline?.p50),
    ratio(row.p99, baseline?.p99),
    row.serverCpuMsPerRequest.toFixed(2),
    row.queriesPerRequest.toFixed(1),
  ]);
  return table([header, ...body]);
}

export function rateTable(rows: RateFigures[]): string {
  const header = [
    'endpoint',
    'offered/s',
    'answered 2xx/s',
    'p50 ms',
    'p99 ms',
    'max ms',
    'errors',
    'server CPU ms/req',
    'SQL/req',
  ];
  const body = rows.map((row) => [
    row.label,
    formatNumber(row.offered),
    formatNumber(row.answeredPerSecond),
    latency(row.p50, row.timeoutMs),
    latency(row.p99, row.timeoutMs),
    latency(row.max, row.timeoutMs),
    `${row.errors}/${row.requests}`,
    row.serverCpuMsPerRequest.toFixed(2),
    row.queriesPerRequest.toFixed(1),
  ]);
  return table([header, ...body]);
}

export function targetsTable(targets: Target[]): string {
  return table([['target', 'measured', 'result'], ...targets.map((t) => [t.label, t.measured, t.met ? 'met' : 'NOT MET'])]);
}

export function comparedTargetsTable(targets: ComparedTarget[]): string {
  return table([
    ['target (or figure)', 'today', 'this run', 'result'],
    ...targets.map((t) => [t.label, t.today, t.measured, t.met === null ? '' : t.met ? 'met' : 'NOT MET']),
  ]);
}

/** A latency at or past the timeout is a lower bound. */
export function latency(ms: number, timeoutMs: number): string {
  if (Number.isNaN(ms)) return '-';
  return ms >= timeoutMs ? `>= ${formatMs(timeoutMs)}` : formatMs(ms);
}

export function errorDetails(rows: (PhaseFigures | RateFigures)[]): string[] {
  return rows
    .filter((row) => row.errors > 0)
    .flatMap((row) => [
      `${row.label}: ${Object.entries(row.errorBreakdown)
        .map(([kind, count]) => `${count} × ${kind}`)
        .join(', ')}`,
      ...row.errorSamples.map((sample) => `  e.g. ${sample}`),
    ]);
}

export function formatNumber(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatMs(value: number): string {
  return value < 10 ? value.toFixed(1) : Math.round(value).toString();
}

export function ratio(value: number, base: number | undefined): string {
  if (base === undefined || base === 0) return '-';
  const r = value / base;
  return `${r < 10 ? r.toFixed(2) : r.toFixed(1)}×`;
}

/** First column left-aligned, the others right-aligned. */
function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
}
