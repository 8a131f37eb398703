// The load side of the API benchmark: request bodies, the closed-loop (autocannon, saturation)
// and open-loop (fixed offered rate) runs, and the few plain requests made before them (creating
// the streams the GET phase reads, tracing SQL).
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { OpenLoopRequest, percentile, runOpenLoop } from './open-loop';
import { formatMs, PhaseFigures, RateFigures } from './report';
import type { ServerProcess } from './server-process';

export type PhaseName = 'ping' | 'get' | 'create';
export const PHASES: PhaseName[] = ['ping', 'get', 'create'];
export const CREATE_PATH = '/api/managed-streams';
const ERROR_SAMPLES = 3;

/** Unique per run and per request: one live stream per userId, so every create must be new. */
let users = 0;
const runTag = randomBytes(3).toString('hex');
export function createBody(): string {
  const n = ++users;
  const key = () => randomBytes(8).toString('hex');
  return JSON.stringify({
    userId: `bench-${runTag}-${n}@example.com`,
    restreamDestinations: [
      { url: `rtmp://a.rtmp.youtube.com/live2/${key()}` },
      { url: `rtmp://live.twitch.tv/app/live_${key()}` },
      { url: `rtmps://live-api-s.facebook.com:443/rtmp/FB-${key()}` },
    ],
  });
}

function phaseRequest(phase: PhaseName, streamIds: string[]): autocannon.Request {
  if (phase === 'ping') return { method: 'GET', path: '/ping' };
  if (phase === 'create') {
    return { method: 'POST', path: CREATE_PATH, setupRequest: (request) => ({ ...request, body: createBody() }) };
  }
  let next = 0;
  return {
    method: 'GET',
    setupRequest: (request) => ({ ...request, path: `${CREATE_PATH}/${streamIds[next++ % streamIds.length]}` }),
  };
}

function rateRequest(phase: 'get' | 'create', streamIds: string[]): () => OpenLoopRequest {
  if (phase === 'create') return () => ({ method: 'POST', path: CREATE_PATH, body: createBody() });
  let next = 0;
  return () => ({ method: 'GET', path: `${CREATE_PATH}/${streamIds[next++ % streamIds.length]}` });
}

export const LABELS: Record<PhaseName, string> = {
  ping: 'GET /ping (baseline)',
  get: 'GET /api/managed-streams/:id',
  create: 'POST /api/managed-streams',
};

export async function runPhase(
  server: ServerProcess,
  phase: PhaseName,
  flags: { connections: number; duration: number; warmup: number },
  streamIds: string[],
): Promise<PhaseFigures> {
  const samples: string[] = [];
  const request: autocannon.Request = {
    ...phaseRequest(phase, streamIds),
    onResponse: (status, body) => {
      if ((status < 200 || status > 299) && samples.length < ERROR_SAMPLES)
        samples.push(`${status} ${String(body).slice(0, 300)}`);
    },
  };
  const options = (duration: number): autocannon.Options => ({
    url: server.baseUrl,
    connections: flags.connections,
    duration,
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
    requests: [request],
  });
  if (flags.warmup > 0) {
    await autocannon(options(flags.warmup));
    await waitUntilIdle(server);
  }
  samples.length = 0;
  const before = await server.stats();
  const result = await autocannon(options(flags.duration));
  // The server finishes what was sent before the deadline: count its work for every request sent.
  await waitUntilIdle(server);
  const after = await server.stats();
  const sent = Math.max(result.requests.sent, 1);
  const breakdown: Record<string, number> = {};
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) {
    if (!status.startsWith('2')) breakdown[`HTTP ${status}`] = stats.count ?? 0;
  }
  if (result.errors > 0) breakdown['socket errors (incl. timeouts)'] = result.errors;
  return {
    label: LABELS[phase],
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.non2xx + result.errors,
    errorBreakdown: breakdown,
    errorSamples: samples,
    serverCpuMsPerRequest: (after.cpuMs - before.cpuMs) / sent,
    queriesPerRequest: (after.queries - before.queries) / sent,
  };
}

/**
 * One endpoint at a fixed offered rate (open loop), after a warm-up at the same rate. The
 * server's CPU and SQL are counted per request scheduled, once it has worked off its backlog.
 */
export async function runRatePhase(
  server: ServerProcess,
  phase: 'get' | 'create',
  flags: { rate: number; duration: number; warmup: number; timeoutMs: number; maxSockets: number },
  streamIds: string[],
): Promise<RateFigures> {
  const samples: string[] = [];
  const run = (durationSeconds: number) =>
    runOpenLoop({
      baseUrl: server.baseUrl,
      headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
      rate: flags.rate,
      durationSeconds,
      timeoutMs: flags.timeoutMs,
      maxSockets: flags.maxSockets,
      next: rateRequest(phase, streamIds),
      onResponse: (status, body) => {
        if ((status < 200 || status > 299) && samples.length < ERROR_SAMPLES) samples.push(`${status} ${body.slice(0, 300)}`);
      },
    });
  if (flags.warmup > 0) {
    await run(flags.warmup);
    await waitUntilIdle(server);
  }
  samples.length = 0;
  const before = await server.stats();
  const result = await run(flags.duration);
  await waitUntilIdle(server);
  const after = await server.stats();
  const errors = Object.values(result.errors).reduce((sum, count) => sum + count, 0);
  return {
    label: LABELS[phase],
    offered: flags.rate,
    answeredPerSecond: result.ok / (result.elapsedMs / 1000),
    p50: percentile(result.latencies, 0.5),
    p99: percentile(result.latencies, 0.99),
    max: result.latencies[result.latencies.length - 1] ?? NaN,
    timeoutMs: flags.timeoutMs,
    requests: result.scheduled,
    errors,
    errorBreakdown: result.errors,
    errorSamples: samples,
    serverCpuMsPerRequest: (after.cpuMs - before.cpuMs) / result.scheduled,
    queriesPerRequest: (after.queries - before.queries) / result.scheduled,
    maxSendLagMs: result.maxSendLagMs,
  };
}

async function call(
  server: ServerProcess,
  method: 'GET' | 'POST',
  urlPath: string,
  body?: string,
): Promise<{ ms: number; json: unknown }> {
  const started = performance.now();
  const response = await fetch(`${server.baseUrl}${urlPath}`, {
    method,
    headers: { authorization: `Bearer ${server.apiKey}`, 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${urlPath}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return { ms: performance.now() - started, json: JSON.parse(text) as unknown };
}

async function createStream(server: ServerProcess): Promise<string> {
  const { json } = await call(server, 'POST', CREATE_PATH, createBody());
  return (json as { streamId: string }).streamId;
}

export async function precreateStreams(server: ServerProcess, count: number): Promise<string[]> {
  const ids: string[] = [];
  const worker = async () => {
    while (ids.length < count) ids.push(await createStream(server));
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return ids.slice(0, count);
}

/**
 * autocannon stops at the deadline, but the server still works off what it has queued; wait for
 * that backlog to drain (no SQL sent and little CPU used for a while), so that it neither eats
 * into the next phase nor runs into closed connections at shutdown.
 */
async function waitUntilIdle(server: ServerProcess): Promise<void> {
  const intervalMs = 250;
  let last = await server.stats();
  for (let i = 0; i < 120; i++) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const now = await server.stats();
    if (now.queries === last.queries && now.cpuMs - last.cpuMs < intervalMs * 0.2) return;
    last = now;
  }
}

/** Prints the SQL of one request on the otherwise idle server, with the time each statement took. */
export async function traceOne(server: ServerProcess, method: 'GET' | 'POST', urlPath: string, body?: string): Promise<void> {
  server.startRecording();
  const { ms } = await call(server, method, urlPath, body);
  const queries = await server.stopRecording();
  const dbMs = queries.reduce((sum, q) => sum + q.ms, 0);
  const label = `${method} ${urlPath.replace(/\/ms_[\w-]+$/, '/:id')}`;
  console.log(
    `\n${label}: ${queries.length} statements, ${formatMs(dbMs)} ms in the database of ${formatMs(ms)} ms in all (idle server)`,
  );
  for (const q of queries)
    console.log(`  ${formatMs(q.ms).padStart(5)} ms  ${q.sql.length > 150 ? `${q.sql.slice(0, 147)}...` : q.sql}`);
}
