import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Clock } from '../../common/clock';
import { SseConnections } from '../../streams/sse-connections';
import type { StreamEventMessage } from '../../stream-records/stream-events';
import { StreamEventBus } from '../../stream-records/stream-event-bus';
import { AdminStreamsRepository } from './admin-streams.repository';
import { changedLiveStats } from './live-stats';

export const HEARTBEAT_MS = 15_000;
/** Relays report stats every few seconds; the feed forwards what changed this often. */
export const STATS_INTERVAL_MS = 2_000;
const REPLAY_LIMIT = 1000;

/**
 * Writes the dashboard's SSE connection: every stream's events, catching up after Last-Event-ID,
 * and `stream.stats` messages (no id: they are not history) when live streams' stats change.
 * An open tab must not hold the server up when it shuts down: SseConnections ends the feed
 * then, and the browser reconnects.
 */
@Injectable()
export class AdminEventStreamer {
  private readonly logger = new Logger(AdminEventStreamer.name);

  constructor(
    private readonly bus: StreamEventBus,
    private readonly history: AdminStreamsRepository,
    private readonly clock: Clock,
    private readonly connections: SseConnections,
  ) {}

  async stream(lastEventId: string | null, request: Request, response: Response): Promise<void> {
    this.connections.assertAccepting();
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.write('retry: 3000\n\n');

    // Nothing is written once the feed ended or the tab closed (a write after end is an error).
    let done = false;
    const write = (chunk: string): void => {
      if (!done) response.write(chunk);
    };
    let lastSent = lastEventId !== null && /^\d{1,18}$/.test(lastEventId) ? BigInt(lastEventId) : null;
    let replaying = lastSent !== null;
    const pending: StreamEventMessage[] = [];
    const send = (event: StreamEventMessage): void => {
      const id = BigInt(event.id);
      if (lastSent !== null && id <= lastSent) return;
      lastSent = id;
      write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    };

    // The tab may close while we subscribe: whatever was set up by then is undone.
    let release = (): void => {
      done = true;
    };
    request.on('close', () => release());
    // Subscribe first, so nothing committed while the history is read is lost.
    const unsubscribe = await this.bus.subscribeAll((event) => (replaying ? pending.push(event) : send(event)));
    if (done) return unsubscribe();
    const heartbeat = setInterval(() => write(': heartbeat\n\n'), HEARTBEAT_MS);
    const stats = this.forwardStats(write);
    let unregister = (): void => undefined;
    release = () => {
      if (done) return;
      done = true;
      clearInterval(heartbeat);
      clearInterval(stats);
      unsubscribe();
      unregister();
    };
    unregister = this.connections.add(() => {
      release();
      response.end();
    });
    if (!replaying || lastSent === null) return;
    try {
      (await this.history.eventsAfter(lastSent, REPLAY_LIMIT)).forEach(send);
    } finally {
      pending.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)).forEach(send);
      replaying = false;
    }
  }

  private forwardStats(write: (chunk: string) => void): NodeJS.Timeout {
    let seen = new Map<string, string | null>();
    let busy = false;
    return setInterval(() => {
      if (busy) return;
      busy = true;
      this.history
        .liveStats()
        .then((rows) => {
          const result = changedLiveStats(seen, rows, this.clock.now());
          seen = result.seen;
          if (result.changed.length > 0) write(`event: stream.stats\ndata: ${JSON.stringify({ streams: result.changed })}\n\n`);
        })
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Could not read live stream stats'))
        .finally(() => (busy = false));
    }, STATS_INTERVAL_MS);
  }
}
