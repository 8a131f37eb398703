import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SseConnections } from './sse-connections';
import { isFinalStreamEvent, StreamEventMessage, visibleToApp } from '../stream-records/stream-events';
import { StreamEventBus } from '../stream-records/stream-event-bus';
import { StreamEventsRepository } from '../stream-records/stream-events.repository';

const KEEPALIVE_MS = 15_000;
/** After a stream's final status, the events recorded with it (its destinations stopping) still go out. */
export const FINAL_EVENT_GRACE_MS = 1_000;

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
 * Writes one SSE connection: history after the client's last id, then live events, no gap. The
 * response ends after the stream's final status (nothing more can happen to it) and at shutdown.
 */
@Injectable()
export class StreamEventStreamer {
  constructor(
    private readonly bus: StreamEventBus,
    private readonly history: StreamEventsRepository,
    private readonly connections: SseConnections,
  ) {}

  async stream(subscription: EventStreamSubscription, request: Request, response: Response): Promise<void> {
    this.connections.assertAccepting();
    const { streamId, appId } = subscription;
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.write('retry: 3000\n\n');

    let lastSent = parseEventId(subscription.lastEventId);
    let replaying = true;
    let stopped = subscription.stopped;
    const pending: StreamEventMessage[] = [];
    let unsubscribe = (): void => undefined;
    let unregister = (): void => undefined;
    let keepalive: NodeJS.Timeout | undefined = undefined; // set once subscribed; release() may run before
    let finalTimer: NodeJS.Timeout | undefined;
    let done = false;
    const release = (): void => {
      if (done) return;
      done = true;
      clearInterval(keepalive);
      clearTimeout(finalTimer);
      unsubscribe();
      unregister();
    };
    const end = (): void => {
      if (done) return;
      release();
      response.end();
    };
    // Nothing is written once the response ended or the client left (a write after end is an error).
    const write = (chunk: string): void => {
      if (!done) response.write(chunk);
    };
    const send = (event: StreamEventMessage): void => {
      const id = BigInt(event.id);
      if (id <= lastSent) return;
      lastSent = id;
      if (visibleToApp(event, appId)) write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      if (!isFinalStreamEvent(event)) return;
      stopped = true;
      if (!replaying) finalTimer ??= setTimeout(end, FINAL_EVENT_GRACE_MS);
    };

    unregister = this.connections.add(end);
    request.on('close', release);
    // Subscribe before reading history so nothing committed in between is lost.
    const unsubscribeBus = await this.bus.subscribe(streamId, (event) => (replaying ? pending.push(event) : send(event)));
    if (done) return unsubscribeBus();
    unsubscribe = unsubscribeBus;
    keepalive = setInterval(() => write(': keepalive\n\n'), KEEPALIVE_MS);

    try {
      while (!done) {
        const page = await this.history.listAfter(streamId, lastSent);
        if (page.length === 0) break;
        page.forEach(send);
      }
      pending.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)).forEach(send);
      replaying = false;
    } catch (error) {
      end();
      throw error;
    }
    // Everything up to the final status has been sent: what remains of the stream is its history.
    if (stopped) end();
  }
}
