import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ServiceUnavailableError } from '../common/errors';

/** Releases what one event stream holds (timers, subscriptions) and ends its response. */
export type EndEventStream = () => void;

/**
 * The open Server-Sent Events responses of this process. An event stream never ends by itself,
 * so the HTTP server, which waits for its connections on close, would stay up until the last
 * client left: at shutdown each one is ended (clients reconnect with Last-Event-ID, to another
 * process or to this one once it is back) and new ones are refused.
 */
@Injectable()
export class SseConnections implements OnModuleDestroy {
  private readonly open = new Set<EndEventStream>();
  private closing = false;

  /** Throws 503 once shutting down: call before writing the response's head. */
  assertAccepting(): void {
    if (this.closing) throw new ServiceUnavailableError('The service is shutting down; reconnect shortly');
  }

  /**
   * Tracks an event stream until the returned function is called (the client left, or the stream
   * ended on its own). Registered while shutting down (it began while the stream was being set
   * up), it is ended at once.
   */
  add(end: EndEventStream): () => void {
    if (this.closing) {
      end();
      return () => undefined;
    }
    this.open.add(end);
    return () => this.open.delete(end);
  }

  /** Nest's earliest shutdown hook: the streams end well before the HTTP server closes. */
  onModuleDestroy(): void {
    this.closing = true;
    const ends = [...this.open];
    this.open.clear();
    for (const end of ends) end();
  }
}
