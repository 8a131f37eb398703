import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { jobIds, JobPayloads, QUEUES } from '../queues/queues';

/** The custom backoff type of delivery jobs; the processor computes each delay (see RetryLaterError). */
export const WEBHOOK_BACKOFF_TYPE = 'webhook-retry';

@Injectable()
export class WebhookQueue {
  constructor(
    @InjectQueue(QUEUES.appWebhooks) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Deterministic job ids: queuing a delivery that is already waiting or retrying is a no-op. */
  async enqueueDeliveries(deliveryIds: readonly string[]): Promise<void> {
    await this.queue.addBulk(
      deliveryIds.map((deliveryId) => {
        const data: JobPayloads['webhooks.deliver'] = { deliveryId };
        return {
          name: 'webhooks.deliver',
          data,
          opts: {
            jobId: jobIds.webhookDelivery(deliveryId),
            attempts: this.config.WEBHOOK_MAX_ATTEMPTS,
            backoff: { type: WEBHOOK_BACKOFF_TYPE },
            removeOnComplete: { age: 24 * 3600, count: 10_000 },
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        };
      }),
    );
  }
}
