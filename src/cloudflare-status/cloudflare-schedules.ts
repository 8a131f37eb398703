import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { STATUS_SWEEP_TICK_MS } from './cloudflare-status-sweep.service';
import { QUEUES, schedulerIds } from '../queues/queues';

/** Recurring Cloudflare jobs; upserting a scheduler is idempotent across processes and restarts. */
@Injectable()
export class CloudflareSchedules implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QUEUES.cloudflare) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.CLOUDFLARE_API_TOKEN) {
      await this.queue.removeJobScheduler(schedulerIds.cloudflareStatusSweep);
      await this.queue.removeJobScheduler(schedulerIds.cloudflareOrphanSweep);
      return;
    }
    const done = { removeOnComplete: 100, removeOnFail: 100 };
    await this.queue.upsertJobScheduler(
      schedulerIds.cloudflareStatusSweep,
      { every: STATUS_SWEEP_TICK_MS },
      { name: 'cloudflare.status-sweep', data: {}, opts: done },
    );
    await this.queue.upsertJobScheduler(
      schedulerIds.cloudflareOrphanSweep,
      { every: this.config.CLOUDFLARE_SWEEP_INTERVAL_SECONDS * 1000 },
      { name: 'cloudflare.orphan-sweep', data: {}, opts: done },
    );
  }
}
