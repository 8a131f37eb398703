import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { QUEUES } from './queues';
import { CloudflareJobsProducer } from './cloudflare-jobs.producer';
import { StreamLifecycleProducer } from './stream-lifecycle.producer';

/** Queues and producers; any process may enqueue. Processing lives in WorkerModule. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      // Workers need maxRetriesPerRequest null (BullMQ blocks on Redis and retries itself).
      useFactory: (config: AppConfig) => ({
        connection: { url: config.REDIS_URL, maxRetriesPerRequest: null },
        prefix: 'restream',
      }),
    }),
    BullModule.registerQueue({ name: QUEUES.streamLifecycle }),
    BullModule.registerQueue({ name: QUEUES.cloudflare }),
    BullModule.registerQueue({ name: QUEUES.relayHealth }),
    BullModule.registerQueue({ name: QUEUES.streamMaintenance }),
    BullModule.registerQueue({ name: QUEUES.appWebhooks }),
    BullModule.registerQueue({ name: QUEUES.recordings }),
  ],
  providers: [StreamLifecycleProducer, CloudflareJobsProducer],
  exports: [StreamLifecycleProducer, CloudflareJobsProducer, BullModule],
})
export class QueuesModule {}
