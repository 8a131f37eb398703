import { Module } from '@nestjs/common';
import { CloudflareSchedules } from '../cloudflare-status/cloudflare-schedules';
import { CloudflareStatusModule } from '../cloudflare-status/cloudflare-status.module';
import { CloudflareProcessor } from '../cloudflare-status/cloudflare.processor';
import { QueuesModule } from '../queues/queues.module';
import { RelayFleetModule } from '../relays/relay-fleet.module';
import { RecordingsModule } from '../recordings/recordings.module';
import { RecordingsProcessor } from '../recordings/recordings.processor';
import { RelayHealthProcessor } from '../relays/relay-health.processor';
import { StreamMaintenanceModule } from '../stream-maintenance/stream-maintenance.module';
import { StreamRecordsModule } from '../stream-records/stream-records.module';
import { StrategiesModule } from '../strategies/strategies.module';
import { StreamLifecycleProcessor } from '../streams/stream-lifecycle.processor';
import { AppWebhooksProcessor } from '../webhooks/app-webhooks.processor';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { JobSchedulesService } from './job-schedules.service';

/**
 * Job processing; loaded when this process runs the worker role. Each processor lives beside the
 * feature it serves; this module only gathers them (and the recurring schedules).
 */
@Module({
  imports: [
    QueuesModule,
    StreamRecordsModule,
    StrategiesModule,
    RelayFleetModule,
    CloudflareStatusModule,
    StreamMaintenanceModule,
    WebhooksModule,
    RecordingsModule,
  ],
  providers: [
    StreamLifecycleProcessor,
    CloudflareProcessor,
    CloudflareSchedules,
    RelayHealthProcessor,
    AppWebhooksProcessor,
    RecordingsProcessor,
    JobSchedulesService,
  ],
})
export class WorkerModule {}
