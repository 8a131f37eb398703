import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { toEventMessage } from '../stream-records/stream-events.repository';
import { WebhookQueue } from './webhook-queue';
import { advanceCursor, webhookRecipients } from './webhook-recipients';
import { deliveryId, NewDelivery, WebhooksRepository } from './webhooks.repository';

const BATCH = 500;
/** Longer than any transaction that appends events runs; see advanceCursor. */
const GAP_SETTLE_MS = 30_000;

export interface DispatchReport {
  events: number;
  created: number;
  enqueued: number;
}

/**
 * Reads the event log past its cursor and turns each status change into one delivery per
 * concerned app. The API only appends events (it never waits for a webhook); this job does the rest.
 */
@Injectable()
export class WebhookDispatcherService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly queue: WebhookQueue,
    private readonly clock: Clock,
  ) {}

  async dispatch(): Promise<DispatchReport> {
    const cursor = await this.webhooks.cursor();
    const events = await this.webhooks.eventsAfter(cursor, BATCH);
    const messages = events.map(toEventMessage);
    const attachments = await this.webhooks.attachmentsOf([...new Set(messages.map((m) => m.streamId))]);
    const wanted = messages.flatMap((message) =>
      webhookRecipients(message, attachments.get(message.streamId) ?? []).map((appId) => ({
        eventId: BigInt(message.id),
        appId,
      })),
    );
    const withWebhooks = await this.webhooks.appsWithWebhooks([...new Set(wanted.map((w) => w.appId))]);
    const deliveries: NewDelivery[] = wanted
      .filter((w) => withWebhooks.has(w.appId))
      .map((w) => ({ ...w, id: deliveryId(w.eventId, w.appId) }));
    await this.webhooks.recordDispatch(deliveries, advanceCursor(cursor, events, this.clock.now(), GAP_SETTLE_MS));
    // Everything pending and not yet queued, including what a crashed dispatch left behind.
    const enqueued = await this.enqueuePending();
    return { events: events.length, created: deliveries.length, enqueued };
  }

  private async enqueuePending(): Promise<number> {
    const ids = await this.webhooks.pendingNotEnqueued(BATCH);
    if (ids.length === 0) return 0;
    await this.queue.enqueueDeliveries(ids);
    await this.webhooks.markEnqueued(ids, this.clock.now());
    return ids.length;
  }
}
