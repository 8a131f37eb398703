import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { StreamEventMessage, visibleToApp } from './stream-events';
import { StreamEventBus } from './stream-event-bus';
import { StreamEventsRepository } from './stream-events.repository';

const KEEPALIVE_MS = 15_000;

function parseEventId(value: string | null): bigint {
  if (value === null || !/^\d{1,18}$/.test(value)) return 0n;
  return BigInt(value);
}

/** Writes one SSE connection: history after the client's last id, then live events, no gap. */
@Injectable()
export class StreamEventStreamer {
  constructor(
    private readonly bus: StreamEventBus,
    private readonly history: StreamEventsRepository,
  ) {}

  async stream(streamId: string, appId: string, lastEventId: string | null, request: Request, response: Response): Promise<void> {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.write('retry: 3000\n\n');

    let lastSent = parseEventId(lastEventId);
    let replaying = true;
    const pending: StreamEventMessage[] = [];
    const send = (event: StreamEventMessage): void => {
      const id = BigInt(event.id);
      if (id <= lastSent) return;
      lastSent = id;
      if (visibleToApp(event, appId)) response.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    };

    // Subscribe before reading history so nothing committed in between is lost.
    const unsubscribe = await this.bus.subscribe(streamId, (event) => (replaying ? pending.push(event) : send(event)));
    const keepalive = setInterval(() => response.write(': keepalive\n\n'), KEEPALIVE_MS);
    const close = (): void => {
      clearInterval(keepalive);
      unsubscribe();
    };
    request.on('close', close);

    try {
      for (;;) {
        const page = await this.history.listAfter(streamId, lastSent);
        if (page.length === 0) break;
        page.forEach(send);
      }
      pending.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)).forEach(send);
      replaying = false;
    } catch (error) {
      close();
      response.end();
      throw error;
    }
  }
}
