import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { DeliveryResult, RetryLaterError, WebhookDeliveryService } from './webhook-delivery.service';
import { DispatchReport, WebhookDispatcherService } from './webhook-dispatcher.service';
import { WebhookRetentionService } from './webhook-retention.service';
import { QUEUES, QueueJob } from '../queues/queues';

type WebhookJob = QueueJob<'webhooks.dispatch' | 'webhooks.deliver' | 'webhooks.prune'>;

/** The delay the delivery service chose for a transient failure (capped, jittered, Retry-After aware). */
export function webhookBackoff(_attemptsMade: number, _type?: string, error?: Error): number {
  return error instanceof RetryLaterError ? error.delayMs : 1000;
}

// Deliveries wait on other people's servers (up to WEBHOOK_TIMEOUT_MS each): run several at once.
@Processor(QUEUES.appWebhooks, { concurrency: 10, settings: { backoffStrategy: webhookBackoff } })
export class AppWebhooksProcessor extends WorkerHost {
  constructor(
    private readonly dispatcher: WebhookDispatcherService,
    private readonly delivery: WebhookDeliveryService,
    private readonly retention: WebhookRetentionService,
  ) {
    super();
  }

  async process(job: WebhookJob): Promise<DispatchReport | DeliveryResult | { deleted: number }> {
    const name: string = job.name;
    switch (job.name) {
      case 'webhooks.dispatch':
        return this.dispatcher.dispatch();
      case 'webhooks.deliver':
        return this.delivery.deliver(job.data.deliveryId, job.attemptsMade);
      case 'webhooks.prune':
        return this.retention.prune();
      default:
        throw new Error(`Unknown job ${name}`);
    }
  }

  /** A delivery that kept throwing (e.g. an undecryptable secret) is closed once BullMQ gives up on it. */
  @OnWorkerEvent('failed')
  async onFailed(job: WebhookJob | undefined, error: Error): Promise<void> {
    if (!job || job.name !== 'webhooks.deliver' || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    await this.delivery.giveUp(job.data.deliveryId, `gave up after ${job.attemptsMade} attempts: ${error.message}`);
  }
}
