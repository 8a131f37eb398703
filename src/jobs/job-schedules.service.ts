import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { JobName, QUEUES, schedulerIds } from '../queues/queues';

interface Schedule {
  queue: Queue;
  schedulerId: string;
  jobName: JobName;
  everyMs: number;
}

/**
 * Registers the recurring jobs when a worker starts. Job schedulers are keyed by id in Redis, so
 * every worker (and every restart) upserting them leaves exactly one of each, with the latest interval.
 */
@Injectable()
export class JobSchedulesService implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobSchedulesService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QUEUES.relayHealth) private readonly relayHealth: Queue,
    @InjectQueue(QUEUES.streamMaintenance) private readonly maintenance: Queue,
    @InjectQueue(QUEUES.appWebhooks) private readonly webhooks: Queue,
    @InjectQueue(QUEUES.recordings) private readonly recordings: Queue,
  ) {}

  schedules(): Schedule[] {
    return [
      {
        queue: this.relayHealth,
        schedulerId: schedulerIds.relayHealth,
        jobName: 'relay-health.scan',
        everyMs: this.config.RELAY_HEALTH_INTERVAL_MS,
      },
      {
        queue: this.maintenance,
        schedulerId: schedulerIds.streamMaintenance,
        jobName: 'stream-maintenance.scan',
        everyMs: this.config.STREAM_MAINTENANCE_INTERVAL_MS,
      },
      {
        queue: this.webhooks,
        schedulerId: schedulerIds.webhookDispatch,
        jobName: 'webhooks.dispatch',
        everyMs: this.config.WEBHOOK_DISPATCH_INTERVAL_MS,
      },
      { queue: this.webhooks, schedulerId: schedulerIds.webhookPrune, jobName: 'webhooks.prune', everyMs: 3600_000 },
      {
        queue: this.recordings,
        schedulerId: schedulerIds.recordingRetention,
        jobName: 'recordings.expire',
        everyMs: this.config.RECORDING_RETENTION_INTERVAL_MS,
      },
    ];
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const schedule of this.schedules()) {
      await schedule.queue.upsertJobScheduler(
        schedule.schedulerId,
        { every: schedule.everyMs },
        // A scan that fails is simply the next scan's work: no retries, little history.
        { name: schedule.jobName, data: {}, opts: { removeOnComplete: 50, removeOnFail: 200 } },
      );
    }
    this.logger.log({ schedules: this.schedules().map((s) => `${s.schedulerId}/${s.everyMs}ms`) }, 'Job schedules registered');
  }
}
