import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { DeliveryResult, RetryLaterError, WebhookDeliveryService } from './webhook-delivery.service';
import { DispatchReport, WebhookDispatcherService } from './webhook-dispatcher.service';
import { WebhookRetentionService } from './webhook-retention.service';
import { JobOf, QUEUES } from '../queues/queues';

type WebhookJob = JobOf<'webhooks.dispatch' | 'webhooks.deliver' | 'webhooks.prune'>;

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

  async process(
    job: Job<WebhookJob['data'], unknown, WebhookJob['name']>,
  ): Promise<DispatchReport | DeliveryResult | { deleted: number }> {
    const typed = { name: job.name, data: job.data } as WebhookJob;
    switch (typed.name) {
      case 'webhooks.dispatch':
        return this.dispatcher.dispatch();
      case 'webhooks.deliver':
        return this.delivery.deliver(typed.data.deliveryId, job.attemptsMade);
      case 'webhooks.prune':
        return this.retention.prune();
      default:
        throw new Error(`Unknown job ${String(job.name)}`);
    }
  }

  /** A delivery that kept throwing (e.g. an undecryptable secret) is closed once BullMQ gives up on it. */
  @OnWorkerEvent('failed')
  async onFailed(job: Job<WebhookJob['data'], unknown, WebhookJob['name']> | undefined, error: Error): Promise<void> {
    const typed = job && ({ name: job.name, data: job.data } as WebhookJob);
    if (!job || typed?.name !== 'webhooks.deliver' || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    await this.delivery.giveUp(typed.data.deliveryId, `gave up after ${job.attemptsMade} attempts: ${error.message}`);
  }
}
