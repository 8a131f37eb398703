import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { StreamEventBus } from '../stream-records/stream-event-bus';
import { visibleToApp } from '../stream-records/stream-events';
import { StreamEventsRepository } from '../stream-records/stream-events.repository';
import { SseConnections } from './sse-connections';
import { writeEventStream } from './sse-event-stream';

export { FINAL_EVENT_GRACE_MS } from './sse-event-stream';

export interface EventStreamSubscription {
  streamId: string;
  appId: string;
  /** The client's Last-Event-ID: history after it is replayed first. */
  lastEventId: string | null;
  /** The stream had stopped when the client connected: the response ends after the replay. */
  stopped: boolean;
}

function parseEventId(value: string | null): bigint {
  if (value === null || !/^\d{1,18}$/.test(value)) return 0n;
  return BigInt(value);
}

/**
 * Writes an app's SSE connection to one stream: its history after the client's last id, then live
 * events, without other apps' destinations. The response ends after the stream's final status
 * (nothing more can happen to it) and at shutdown.
 */
@Injectable()
export class StreamEventStreamer {
  constructor(
    private readonly bus: StreamEventBus,
    private readonly history: StreamEventsRepository,
    private readonly connections: SseConnections,
  ) {}

  stream(subscription: EventStreamSubscription, request: Request, response: Response): Promise<void> {
    const { streamId, appId } = subscription;
    return writeEventStream(
      this.connections,
      {
        subscribe: (listener) => this.bus.subscribe(streamId, listener),
        replay: { after: parseEventId(subscription.lastEventId), page: (after) => this.history.listAfter(streamId, after) },
        visible: (event) => visibleToApp(event, appId),
        endsWithStream: { stopped: subscription.stopped },
        keepalive: ': keepalive\n\n',
      },
      request,
      response,
    );
  }
}
