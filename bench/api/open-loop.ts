// Open-loop load: requests sent at a fixed offered rate whatever the server does, latency
// measured from each request's *scheduled* send time. A closed loop (autocannon's connections,
// even with overallRate) waits for a response before sending the next request, so a slow server
// is simply offered less and its stalls never show in the latency (coordinated omission).
// autocannon measures from the actual send, so it is kept for the saturation phases only.
//
// node:http with a keep-alive agent: enough for a few thousand requests/s from one core, and
// every request is plain (no pipelining). A request still queued in the agent (all sockets busy)
// is late, and its latency says so.
import http from 'node:http';

export interface OpenLoopRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

export interface OpenLoopOptions {
  baseUrl: string;
  headers: Record<string, string>;
  /** Requests per second offered. */
  rate: number;
  durationSeconds: number;
  /** From the scheduled send time; later counts as an error (and the request is abandoned). */
  timeoutMs: number;
  /** Sockets at most; requests beyond wait in the agent, late. */
  maxSockets: number;
  next: () => OpenLoopRequest;
  onResponse?: (status: number, body: string) => void;
}

export interface OpenLoopResult {
  /** Requests scheduled (rate × duration). */
  scheduled: number;
  /** 2xx responses. */
  ok: number;
  /**
   * Latency of every request in ms from its scheduled send time, sorted: until its response (any
   * status) or error; a timed-out request counts as `timeoutMs` (so a percentile at the timeout
   * means "at least").
   */
  latencies: Float64Array;
  /** 'HTTP 503', 'timeout', 'ECONNRESET'... -> count. */
  errors: Record<string, number>;
  /** Wall time from the first scheduled send to the last answer or timeout. */
  elapsedMs: number;
  /** How far behind schedule the scheduler itself fell at worst (a busy load generator). */
  maxSendLagMs: number;
}

export async function runOpenLoop(opts: OpenLoopOptions): Promise<OpenLoopResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets });
  const url = new URL(opts.baseUrl);
  const scheduled = Math.round(opts.rate * opts.durationSeconds);
  const intervalMs = 1000 / opts.rate;
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const fail = (kind: string) => (errors[kind] = (errors[kind] ?? 0) + 1);
  const failAfter = (dueAt: number, kind: string) => {
    latencies.push(performance.now() - dueAt);
    fail(kind);
  };
  let ok = 0;
  let maxSendLagMs = 0;
  const pending = new Set<Promise<void>>();

  const send = (dueAt: number) => {
    const { method, path, body } = opts.next();
    const done = new Promise<void>((resolve) => {
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
        resolve();
      };
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          agent,
          headers: body === undefined ? opts.headers : { ...opts.headers, 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            settle(() => {
              const status = response.statusCode ?? 0;
              latencies.push(performance.now() - dueAt);
              opts.onResponse?.(status, Buffer.concat(chunks).toString('utf8'));
              if (status >= 200 && status <= 299) ok++;
              else fail(`HTTP ${status}`);
            }),
          );
          response.on('error', (error) => settle(() => failAfter(dueAt, errorKind(error))));
        },
      );
      request.on('error', (error) => settle(() => failAfter(dueAt, errorKind(error))));
      const timer = setTimeout(
        () => {
          settle(() => {
            latencies.push(opts.timeoutMs);
            fail('timeout');
          });
          request.destroy();
        },
        Math.max(0, dueAt + opts.timeoutMs - performance.now()),
      );
      request.end(body);
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  };

  const startedAt = performance.now();
  let sent = 0;
  while (sent < scheduled) {
    const now = performance.now();
    // Send everything that is due; a late tick sends its backlog at once, each keeping its own due time.
    while (sent < scheduled && startedAt + sent * intervalMs <= now) {
      const dueAt = startedAt + sent * intervalMs;
      maxSendLagMs = Math.max(maxSendLagMs, now - dueAt);
      send(dueAt);
      sent++;
    }
    if (sent < scheduled) {
      const wait = startedAt + sent * intervalMs - performance.now();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.floor(wait))));
    }
  }
  await Promise.all(pending);
  const elapsedMs = performance.now() - startedAt;
  agent.destroy();
  return { scheduled, ok, latencies: Float64Array.from(latencies).sort(), errors, elapsedMs, maxSendLagMs };
}

/** The value below which `fraction` of the sorted values lie (nearest rank). */
export function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

function errorKind(error: Error & { code?: string }): string {
  return error.code ?? error.message;
}
