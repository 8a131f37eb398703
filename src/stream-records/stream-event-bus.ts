import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '../redis/redis.module';
import { StreamEventMessage, streamEventSchema } from './stream-events';

const CHANNEL = 'restream:stream-events';

type Listener = (event: StreamEventMessage) => void;

/**
 * Fans stream events out to every API process through Redis pub/sub, so an SSE client sees
 * changes made by any process (a relay callback handled elsewhere, a job in the worker).
 */
@Injectable()
export class StreamEventBus implements OnModuleDestroy {
  private readonly logger = new Logger(StreamEventBus.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly everyStreamListeners = new Set<Listener>();
  private subscriber: Redis | null = null;
  private subscribed: Promise<void> | null = null;

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async publish(events: readonly StreamEventMessage[]): Promise<void> {
    if (events.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const event of events) pipeline.publish(CHANNEL, JSON.stringify(event));
    await pipeline.exec().catch((error: unknown) => {
      // The events are already stored; SSE clients catch up from history on reconnect.
      this.logger.warn({ err: error, streamId: events[0].streamId }, 'Could not publish stream events');
    });
  }

  /** Resolves once the subscription is live, so nothing published afterwards is missed. */
  async subscribe(streamId: string, listener: Listener): Promise<() => void> {
    await this.ensureSubscribed();
    const set = this.listeners.get(streamId) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(streamId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(streamId);
    };
  }

  /** Every stream's events (the admin dashboard). */
  async subscribeAll(listener: Listener): Promise<() => void> {
    await this.ensureSubscribed();
    this.everyStreamListeners.add(listener);
    return () => this.everyStreamListeners.delete(listener);
  }

  async onModuleDestroy(): Promise<void> {
    this.listeners.clear();
    this.everyStreamListeners.clear();
    if (this.subscriber) await this.subscriber.quit().catch(() => this.subscriber?.disconnect());
  }

  private ensureSubscribed(): Promise<void> {
    if (!this.subscribed) {
      const subscriber = this.redis.duplicate();
      this.subscriber = subscriber;
      subscriber.on('message', (_channel: string, message: string) => this.dispatch(message));
      this.subscribed = subscriber.subscribe(CHANNEL).then(() => undefined);
    }
    return this.subscribed;
  }

  private dispatch(message: string): void {
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch {
      return;
    }
    const parsed = streamEventSchema.safeParse(payload);
    if (!parsed.success) return;
    for (const listener of this.listeners.get(parsed.data.streamId) ?? []) listener(parsed.data);
    for (const listener of this.everyStreamListeners) listener(parsed.data);
  }
}
