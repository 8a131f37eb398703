import { Module } from '@nestjs/common';
import { DestinationsModule } from '../destinations/destinations.module';
import { QueuesModule } from '../queues/queues.module';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookDispatcherService } from './webhook-dispatcher.service';
import { WebhookHttpClient } from './webhook-http.client';
import { WebhookQueue } from './webhook-queue';
import { WebhookRetentionService } from './webhook-retention.service';
import { WebhooksRepository } from './webhooks.repository';

/** App webhooks: the outbox over the stream event log, and signed deliveries. */
@Module({
  imports: [DestinationsModule, QueuesModule],
  providers: [
    WebhooksRepository,
    WebhookQueue,
    WebhookHttpClient,
    WebhookDispatcherService,
    WebhookDeliveryService,
    WebhookRetentionService,
  ],
  exports: [WebhookDispatcherService, WebhookDeliveryService, WebhookRetentionService],
})
export class WebhooksModule {}
