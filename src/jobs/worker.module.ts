import { Module } from '@nestjs/common';
import { CloudflareStatusModule } from '../cloudflare-status/cloudflare-status.module';
import { StreamsModule } from '../streams/streams.module';
import { CloudflareProcessor } from './cloudflare.processor';
import { CloudflareSchedules } from './cloudflare-schedules';
import { QueuesModule } from './queues.module';
import { StreamLifecycleProcessor } from './stream-lifecycle.processor';

/** Job processing; loaded when this process runs the worker role. */
@Module({
  imports: [StreamsModule, CloudflareStatusModule, QueuesModule],
  providers: [StreamLifecycleProcessor, CloudflareProcessor, CloudflareSchedules],
})
export class WorkerModule {}
