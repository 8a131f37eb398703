import type { Request, Response } from 'express';
import { isFinalStreamEvent, StreamEventMessage } from '../stream-records/stream-events';
import { SseConnections } from './sse-connections';

/** How often a comment line is written so proxies and clients keep an idle connection. */
export const KEEPALIVE_MS = 15_000;
/** After a stream's final status, the events recorded with it (its destinations stopping) still go out. */
export const FINAL_EVENT_GRACE_MS = 1_000;

type Listener = (event: StreamEventMessage) => void;

/** What differs between the event streams: which events, which history, what else is written. */
export interface EventStreamSource {
  /** Live events; resolves once the subscription is live. */
  subscribe(listener: Listener): Promise<() => void>;
  /**
   * History to send before live events: the events after `after`, page by page until a page is
   * empty (or the first page only, where the replay is capped). Null: live events only.
   */
  replay: { after: bigint; page(after: bigint): Promise<StreamEventMessage[]>; onePage?: boolean } | null;
  /** The events this client may see; all by default. */
  visible?(event: StreamEventMessage): boolean;
  /**
   * One stream's feed ends after the stream's final status, as nothing more can happen to it;
   * `stopped`: the stream had ended before the client came, so the feed ends after the replay.
   */
  endsWithStream?: { stopped: boolean };
  /** The keep-alive comment line. */
  keepalive: string;
  /** Anything else the feed writes on its own timers (the dashboard's live stats); returns its stop. */
  extras?(write: (chunk: string) => void): () => void;
}

/**
 * Writes one SSE connection: history after the client's last id, then live events, no gap and no
 * repeat (the subscription starts before the history is read; live events wait until it is sent).
 * The response ends at shutdown (SseConnections) and, for one stream's feed, after its final status.
 */
export async function writeEventStream(
  connections: SseConnections,
  source: EventStreamSource,
  request: Request,
  response: Response,
): Promise<void> {
  connections.assertAccepting();
  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  response.write('retry: 3000\n\n');

  let lastSent = source.replay?.after ?? null;
  let replaying = source.replay !== null;
  let stopped = source.endsWithStream?.stopped ?? false;
  const pending: StreamEventMessage[] = [];
  let unsubscribe = (): void => undefined;
  let unregister = (): void => undefined;
  let stopExtras = (): void => undefined;
  let keepalive: NodeJS.Timeout | undefined = undefined; // set once subscribed; release() may run before
  let finalTimer: NodeJS.Timeout | undefined;
  let done = false;
  const release = (): void => {
    if (done) return;
    done = true;
    clearInterval(keepalive);
    clearTimeout(finalTimer);
    stopExtras();
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
    if (lastSent !== null && id <= lastSent) return;
    lastSent = id;
    if (source.visible?.(event) ?? true) write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    if (!source.endsWithStream || !isFinalStreamEvent(event)) return;
    stopped = true;
    if (!replaying) finalTimer ??= setTimeout(end, FINAL_EVENT_GRACE_MS);
  };

  unregister = connections.add(end);
  request.on('close', release);
  // Subscribe before reading history so nothing committed in between is lost.
  const unsubscribeSource = await source.subscribe((event) => (replaying ? pending.push(event) : send(event)));
  if (done) return unsubscribeSource();
  unsubscribe = unsubscribeSource;
  keepalive = setInterval(() => write(source.keepalive), KEEPALIVE_MS);
  stopExtras = source.extras?.(write) ?? stopExtras;
  if (!source.replay) return;

  try {
    while (!done) {
      const page = await source.replay.page(lastSent ?? source.replay.after);
      if (page.length === 0) break;
      page.forEach(send);
      if (source.replay.onePage) break;
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
