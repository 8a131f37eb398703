import { Module } from '@nestjs/common';
import { DestinationsModule } from '../destinations/destinations.module';
import { QueuesModule } from '../jobs/queues.module';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookDispatcherService } from './webhook-dispatcher.service';
import { WebhookHttpClient } from './webhook-http.client';
import { WebhookQueue } from './webhook-queue';
import { WebhooksRepository } from './webhooks.repository';

/** App webhooks: the outbox over the stream event log, and signed deliveries. */
@Module({
  imports: [DestinationsModule, QueuesModule],
  providers: [WebhooksRepository, WebhookQueue, WebhookHttpClient, WebhookDispatcherService, WebhookDeliveryService],
  exports: [WebhookDispatcherService, WebhookDeliveryService],
})
export class WebhooksModule {}
