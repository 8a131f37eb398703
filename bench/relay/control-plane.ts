// The control plane for the relay benchmark: the real API (createApp) in a child process on
// throwaway Postgres + Redis, exactly as bench/api starts it (bench/support + bench/api's server
// process), plus the few calls the benchmark makes: create a managed stream with destinations,
// read it, delete it.
import path from 'node:path';
import { startBenchServices, type BenchServices } from '../support/bench-services';
import { PROJECT_ROOT } from '../support/compile-app';
import { ServerProcess } from '../api/server-process';

export interface CreatedStream {
  streamId: string;
  ingestUrl: string;
  /** Destination ids (today's pipeline names its forwarders' pid files after them) by name. */
  destinationIds: Map<string, string>;
}

export interface StreamView {
  status: string;
  hlsReady: boolean;
  stats: {
    fps: number | null;
    droppedFrames: number | null;
    /** 'encode' | 'passthrough' since fcd1a08 (absent before, and null until the relay reports). */
    outputMode?: string | null;
    outputModeReason?: string | null;
  };
  destinations: { id: string; name: string; status: string; lastError: string | null }[];
}

export class ControlPlane {
  private constructor(
    private readonly services: BenchServices,
    private readonly server: ServerProcess,
  ) {}

  /** `compiledDir`: where compileForBench put bench/api/server.js. */
  static async start(opts: { compiledDir: string; relayToken: string; log: (msg: string) => void }): Promise<ControlPlane> {
    const services = await startBenchServices(process.env.BENCH_VERBOSE === '1' ? opts.log : () => undefined);
    try {
      const server = await ServerProcess.start({
        script: path.join(opts.compiledDir, 'bench/api/server.js'),
        cwd: PROJECT_ROOT,
        nodeArgs: [],
        config: {
          DATABASE_URL: services.databaseUrl,
          REDIS_URL: services.redisUrl,
          LOG_LEVEL: 'silent',
          // Relays register themselves (no static list); the sinks are on loopback.
          RTMP_RELAY_URLS: '',
          RTMP_RELAY_HLS_URLS: '',
          ALLOW_PRIVATE_DESTINATIONS: 'true',
          // As in bench/api: no queue worker (nothing here needs a job), one process less to stop.
          PROCESS_ROLE: 'api',
          RELAY_TOKENS: opts.relayToken,
        },
      });
      return new ControlPlane(services, server);
    } catch (error) {
      await services.stop().catch(() => undefined);
      throw error;
    }
  }

  get baseUrl(): string {
    return this.server.baseUrl;
  }

  get origin(): string {
    return this.services.origin;
  }

  /**
   * Creates a managed stream on the relay listening on `rtmpPort`. With two relays registered (the
   * current agent and the baseline) the API picks one per user by rendezvous hashing: a stream that
   * lands on the other one is deleted and tried again under another user (`userId`, `userId~2`, ...).
   * `reconnectWindowSeconds`: the API's default (60) unless given.
   */
  async createStream(
    userId: string,
    destinations: { name: string; url: string }[],
    opts: { rtmpPort: number; reconnectWindowSeconds?: number },
  ): Promise<CreatedStream> {
    for (let attempt = 1; attempt <= 40; attempt++) {
      const body = (await this.call('POST', '/api/managed-streams', {
        userId: attempt === 1 ? userId : `${userId}~${attempt}`,
        restreamDestinations: destinations,
        ...(opts.reconnectWindowSeconds === undefined ? {} : { reconnectWindowSeconds: opts.reconnectWindowSeconds }),
      })) as { streamId: string; ingestUrl: string | null; strategy: string; destinations: { id: string; name: string }[] };
      if (!body.ingestUrl) throw new Error(`the API gave stream ${body.streamId} no ingest URL (strategy ${body.strategy})`);
      if (new URL(body.ingestUrl.replace(/^rtmp:/, 'http:')).port !== String(opts.rtmpPort)) {
        await this.deleteStream(body.streamId);
        continue;
      }
      return {
        streamId: body.streamId,
        ingestUrl: body.ingestUrl,
        destinationIds: new Map(body.destinations.map((d) => [d.name, d.id])),
      };
    }
    throw new Error(`the API never placed ${userId}'s stream on the relay at port ${opts.rtmpPort} (40 users tried)`);
  }

  async view(streamId: string): Promise<StreamView> {
    return (await this.call('GET', `/api/managed-streams/${streamId}`)) as StreamView;
  }

  /**
   * On a loaded machine the API (and its Postgres and Redis) may take more than the usual 10 s to
   * answer: a DELETE gets 30 s and one more try (leaving a stream twice is harmless).
   */
  async deleteStream(streamId: string): Promise<void> {
    try {
      await this.call('DELETE', `/api/managed-streams/${streamId}`, undefined, 30_000);
    } catch (error) {
      if (!(error instanceof Error) || !/timeout|fetch failed/i.test(`${error.name} ${error.message}`)) throw error;
      await this.call('DELETE', `/api/managed-streams/${streamId}`, undefined, 30_000);
    }
  }

  async stop(): Promise<void> {
    try {
      await this.server.stop();
    } finally {
      await this.services.stop();
    }
  }

  private async call(method: string, route: string, body?: unknown, timeoutMs = 10_000): Promise<unknown> {
    const response = await fetch(`${this.server.baseUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${this.server.apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text.slice(0, 500)}`);
    return text ? (JSON.parse(text) as unknown) : null;
  }
}
