import { createParser, EventSourceMessage } from 'eventsource-parser';
import { BackoffOptions, backoffDelay } from './backoff.js';
import {
  ApiError,
  errorFromResponse,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  RestreamError,
  UnauthorizedError,
  ValidationError,
} from './errors.js';
import type { StreamEvent } from './generated/api.js';
import { operationRequest, Transport } from './transport.js';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface StreamEventsOptions {
  /** Resume after this event id (what `subscription.lastEventId` said before). */
  lastEventId?: string;
  /** Reconnection delays: capped, jittered exponential backoff (1 s doubling up to 30 s by default). */
  reconnect?: BackoffOptions;
  /** The server sends a keepalive every 15 s; a connection silent for this long is presumed dead (45 s). */
  idleTimeoutMs?: number;
  /** Each failed connection (the client retries) and the final error when it gives up (401, 403, 404). */
  onError?: (error: RestreamError, willRetry: boolean) => void;
  onStateChange?: (state: ConnectionState) => void;
}

export interface StreamEventsSubscription {
  /** Stops listening and reconnecting. */
  close(): void;
  /** The id of the last event delivered: pass it as `lastEventId` to resume later. */
  readonly lastEventId: string | null;
  readonly state: ConnectionState;
}

/** True when `id` comes after `lastId`: ids are increasing integers; anything else is compared for equality. */
export function isNewEventId(id: string, lastId: string | null): boolean {
  if (lastId === null) return true;
  if (/^\d+$/.test(id) && /^\d+$/.test(lastId)) return BigInt(id) > BigInt(lastId);
  return id !== lastId;
}

/** Errors no retry can fix: wrong key, no such stream, a refused request. */
export function isFatal(error: RestreamError): boolean {
  return (
    error instanceof UnauthorizedError ||
    error instanceof NotFoundError ||
    error instanceof ValidationError ||
    (error instanceof ApiError && error.status === 403)
  );
}

/**
 * One stream's Server-Sent Events over a streaming fetch (the API key goes in a header, which
 * EventSource cannot send, and Node 20 has no EventSource). Reconnects with backoff and
 * `Last-Event-ID`, so the server replays what happened meanwhile; ids already seen are dropped.
 */
export class StreamEventsConnection implements StreamEventsSubscription {
  private current: ConnectionState = 'connecting';
  private lastId: string | null;
  private attempt = 0;
  private closed = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private controller: AbortController | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly streamId: string,
    private readonly onEvent: (event: StreamEvent) => void,
    private readonly options: StreamEventsOptions = {},
  ) {
    this.lastId = options.lastEventId ?? null;
  }

  get lastEventId(): string | null {
    return this.lastId;
  }

  get state(): ConnectionState {
    return this.current;
  }

  start(): this {
    void this.connect();
    return this;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.idleTimer);
    this.controller?.abort();
    this.setState('closed');
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const controller = new AbortController();
    this.controller = controller;
    const { url } = operationRequest(this.transport.baseUrl, 'GET /api/managed-streams/{streamId}/events', {
      streamId: this.streamId,
    });
    try {
      const response = await this.transport.send(url, {
        headers: this.transport.headers({
          Accept: 'text/event-stream',
          ...(this.lastId !== null ? { 'Last-Event-ID': this.lastId } : {}),
        }),
        signal: controller.signal,
      });
      if (!response.ok) {
        const error = errorFromResponse(response.status, await response.json().catch(() => undefined), response.headers);
        if (isFatal(error)) return this.fail(error);
        return this.retry(error, error instanceof RateLimitedError ? error.retryAfterSeconds * 1000 : 0);
      }
      if (!response.body) throw new Error('the event stream has no body');
      this.setState('open');
      await this.read(response.body, controller);
      if (this.closed) return;
      this.retry(new NetworkError({ status: 0, code: 'connection_lost', message: 'The event stream ended' }));
    } catch (error) {
      if (this.closed) return;
      this.retry(
        error instanceof RestreamError
          ? error
          : new NetworkError(
              {
                status: 0,
                code: 'connection_lost',
                message: `The event stream broke: ${error instanceof Error ? error.message : String(error)}`,
              },
              { cause: error },
            ),
      );
    } finally {
      clearTimeout(this.idleTimer);
    }
  }

  private async read(body: ReadableStream<Uint8Array>, controller: AbortController): Promise<void> {
    const parser = createParser({ onEvent: (message) => this.handle(message) });
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const idleMs = this.options.idleTimeoutMs ?? 45_000;
    const armIdle = (): void => {
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => controller.abort(), idleMs);
    };
    armIdle();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || this.closed) return;
        armIdle();
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } finally {
      reader.releaseLock();
    }
  }

  private handle(message: EventSourceMessage): void {
    if (this.closed) return;
    if (message.id !== undefined && !isNewEventId(message.id, this.lastId)) return;
    let event: StreamEvent;
    try {
      event = JSON.parse(message.data) as StreamEvent;
    } catch {
      return;
    }
    if (message.id !== undefined) this.lastId = message.id;
    // A connection that delivers events is healthy: the next failure starts the backoff afresh.
    this.attempt = 0;
    try {
      this.onEvent(event);
    } catch (error) {
      // Like an event listener: the app's error surfaces, the subscription keeps going.
      queueMicrotask(() => {
        throw error;
      });
    }
  }

  private retry(error: RestreamError, minimumDelayMs = 0): void {
    if (this.closed) return;
    this.options.onError?.(error, true);
    this.setState('reconnecting');
    const delay = Math.max(minimumDelayMs, backoffDelay(this.attempt++, this.options.reconnect));
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private fail(error: RestreamError): void {
    this.options.onError?.(error, false);
    this.close();
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    this.options.onStateChange?.(state);
  }
}
