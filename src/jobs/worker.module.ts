import { Module } from '@nestjs/common';
import { CloudflareStatusModule } from '../cloudflare-status/cloudflare-status.module';
import { RelayFleetModule } from '../relays/relay-fleet.module';
import { StreamsModule } from '../streams/streams.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { AppWebhooksProcessor } from './app-webhooks.processor';
import { CloudflareProcessor } from './cloudflare.processor';
import { CloudflareSchedules } from './cloudflare-schedules';
import { JobSchedulesService } from './job-schedules.service';
import { QueuesModule } from '../queues/queues.module';
import { RelayHealthProcessor } from './relay-health.processor';
import { StreamLifecycleProcessor } from './stream-lifecycle.processor';
import { StreamMaintenanceProcessor } from './stream-maintenance.processor';
import { StreamMaintenanceRepository } from './stream-maintenance.repository';
import { StreamMaintenanceService } from './stream-maintenance.service';

/** Job processing; loaded when this process runs the worker role. */
@Module({
  imports: [StreamsModule, CloudflareStatusModule, QueuesModule, RelayFleetModule, WebhooksModule],
  providers: [
    StreamLifecycleProcessor,
    CloudflareProcessor,
    CloudflareSchedules,
    RelayHealthProcessor,
    StreamMaintenanceRepository,
    StreamMaintenanceService,
    StreamMaintenanceProcessor,
    AppWebhooksProcessor,
    JobSchedulesService,
  ],
})
export class WorkerModule {}
