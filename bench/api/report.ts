// The API benchmark's printed results: one row per endpoint, each compared with the
// trivial endpoint, then the targets. Pure formatting, no I/O.

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

export interface Target {
  label: string;
  /** The measured value, formatted. */
  measured: string;
  met: boolean;
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

export function targetsTable(targets: Target[]): string {
  return table([['target', 'measured', 'result'], ...targets.map((t) => [t.label, t.measured, t.met ? 'met' : 'NOT MET'])]);
}

export function errorDetails(rows: PhaseFigures[]): string[] {
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

function ratio(value: number, base: number | undefined): string {
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
