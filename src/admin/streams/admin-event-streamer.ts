import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Clock } from '../../common/clock';
import { SseConnections } from '../../streams/sse-connections';
import { KEEPALIVE_MS, writeEventStream } from '../../streams/sse-event-stream';
import { StreamEventBus } from '../../stream-records/stream-event-bus';
import { AdminStreamsRepository } from './admin-streams.repository';
import { changedLiveStats } from './live-stats';

export const HEARTBEAT_MS = KEEPALIVE_MS;
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

  stream(lastEventId: string | null, request: Request, response: Response): Promise<void> {
    const after = lastEventId !== null && /^\d{1,18}$/.test(lastEventId) ? BigInt(lastEventId) : null;
    return writeEventStream(
      this.connections,
      {
        subscribe: (listener) => this.bus.subscribeAll(listener),
        replay: after === null ? null : { after, page: (id) => this.history.eventsAfter(id, REPLAY_LIMIT), onePage: true },
        keepalive: ': heartbeat\n\n',
        extras: (write) => {
          const stats = this.forwardStats(write);
          return () => clearInterval(stats);
        },
      },
      request,
      response,
    );
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
