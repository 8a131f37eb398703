// The API benchmark's targets (issue 13), and "today's" figures: one run of this benchmark on
// the create path as it was before the issue's work, kept here so every run prints them beside
// its own. Re-record them only when the machine changes (and say so in the README).
import { formatNumber, latency, ratio, Summary, ComparedTarget } from './report';

/** Creates/s at saturation recorded in issue 13 (fresh clone, quiet 2-core machine). */
export const ISSUE_CREATE_SATURATION = 92;

export const TARGETS = {
  createRate: 500,
  createP99Ms: 50,
  createSaturation: 3 * ISSUE_CREATE_SATURATION,
  getRate: 2000,
  getP99Ms: 20,
};

/**
 * `npm run bench:api -- --print-summary` at commit 6bb343a (the create path of 71dcce7), on the
 * shared 2-core machine, 2026-12-02, load average 5.3 before the run and 9.6 after it (other
 * work ran beside it: compare ratios to ping more than absolute figures). The saturation create
 * phase also answered 17 of 395 requests with HTTP 500.
 */
export const TODAY: Summary = {
  pingPerSecond: 1050,
  pingCpuMsPerRequest: 0.69,
  createAtRate: { offered: 500, p50: 5000, p99: 5000, errors: 9961, requests: 10000, timeoutMs: 5000 },
  getAtRate: { offered: 2000, p50: 5000, p99: 5000, errors: 39516, requests: 40000, timeoutMs: 5000 },
  createSaturation: { perSecond: 19.8, vsPing: 0.0188, p99: 4060, sqlPerRequest: 12.7, cpuMsPerRequest: 14.8 },
  getSaturation: { perSecond: 215, vsPing: 0.205, p99: 921, sqlPerRequest: 1, cpuMsPerRequest: 1.88 },
};

export function buildTargets(now: Summary, today: Summary = TODAY): ComparedTarget[] {
  const list: ComparedTarget[] = [];
  const atRate = (s: Summary['createAtRate'], pick: 'p50' | 'p99') => (s ? latency(s[pick], s.timeoutMs) : '-');
  const errorsOf = (s: Summary['createAtRate']) => (s ? `${s.errors}/${s.requests}` : '-');
  const perSecond = (s: Summary['createSaturation']) =>
    s ? `${formatNumber(s.perSecond)}/s (${s.vsPing === undefined ? '-' : ratio(s.vsPing, 1)} ping)` : '-';
  const fixed = (value: number | undefined, digits: number) => (value === undefined ? '-' : value.toFixed(digits));

  if (now.createAtRate) {
    const c = now.createAtRate;
    list.push({
      label: `create at ${formatNumber(c.offered)}/s: p99 <= ${TARGETS.createP99Ms} ms`,
      today: atRate(today.createAtRate, 'p99'),
      measured: atRate(c, 'p99'),
      met: c.offered >= TARGETS.createRate && c.p99 <= TARGETS.createP99Ms,
    });
    list.push({
      label: `create at ${formatNumber(c.offered)}/s: no errors`,
      today: errorsOf(today.createAtRate),
      measured: errorsOf(c),
      met: c.offered >= TARGETS.createRate && c.errors === 0,
    });
    list.push({
      label: `create at ${formatNumber(c.offered)}/s: p50 ms`,
      today: atRate(today.createAtRate, 'p50'),
      measured: atRate(c, 'p50'),
      met: null,
    });
  }
  if (now.createSaturation) {
    list.push({
      label: `create saturation >= ${TARGETS.createSaturation}/s (3 × ${ISSUE_CREATE_SATURATION})`,
      today: perSecond(today.createSaturation),
      measured: perSecond(now.createSaturation),
      met: now.createSaturation.perSecond >= TARGETS.createSaturation,
    });
    list.push({
      label: 'create: SQL statements per request',
      today: fixed(today.createSaturation?.sqlPerRequest, 1),
      measured: fixed(now.createSaturation.sqlPerRequest, 1),
      met: null,
    });
    list.push({
      label: 'create: server CPU ms per request',
      today: fixed(today.createSaturation?.cpuMsPerRequest, 2),
      measured: fixed(now.createSaturation.cpuMsPerRequest, 2),
      met: null,
    });
    const inPings = (s: Summary) =>
      s.createSaturation && s.pingCpuMsPerRequest ? s.createSaturation.cpuMsPerRequest / s.pingCpuMsPerRequest : undefined;
    list.push({
      label: 'create: server CPU per request, in pings',
      today: fixed(inPings(today), 1),
      measured: fixed(inPings(now), 1),
      met: null,
    });
  }
  if (now.getAtRate) {
    const g = now.getAtRate;
    list.push({
      label: `get at ${formatNumber(g.offered)}/s: p99 <= ${TARGETS.getP99Ms} ms`,
      today: atRate(today.getAtRate, 'p99'),
      measured: atRate(g, 'p99'),
      met: g.offered >= TARGETS.getRate && g.p99 <= TARGETS.getP99Ms,
    });
    list.push({
      label: `get at ${formatNumber(g.offered)}/s: errors`,
      today: errorsOf(today.getAtRate),
      measured: errorsOf(g),
      met: null,
    });
  }
  if (now.getSaturation)
    list.push({
      label: 'get saturation',
      today: perSecond(today.getSaturation),
      measured: perSecond(now.getSaturation),
      met: null,
    });
  if (now.pingPerSecond !== undefined)
    list.push({
      label: 'ping saturation (this machine, this run)',
      today: today.pingPerSecond === undefined ? '-' : `${formatNumber(today.pingPerSecond)}/s`,
      measured: `${formatNumber(now.pingPerSecond)}/s`,
      met: null,
    });
  return list;
}

/** Prints a Summary as the TS literal to paste into TODAY. */
export function summaryLiteral(summary: Summary): string {
  const round = (_key: string, value: unknown) => (typeof value === 'number' ? Number(value.toPrecision(3)) : value);
  return JSON.stringify(summary, round, 2);
}
