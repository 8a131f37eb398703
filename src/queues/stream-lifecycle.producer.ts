import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { JobPayloads, QUEUES, jobIds } from './queues';

@Injectable()
export class StreamLifecycleProducer {
  constructor(
    @InjectQueue(QUEUES.streamLifecycle) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(QUEUES.streamMaintenance) private readonly maintenance: Queue,
  ) {}

  /** If the carrier never confirms a stop, the stream is marked stopped after a grace period. */
  async scheduleFinalizeStop(streamId: string): Promise<void> {
    const payload: JobPayloads['stream.finalize-stop'] = { streamId };
    await this.queue.add('stream.finalize-stop', payload, {
      jobId: jobIds.finalizeStop(streamId),
      delay: this.config.STREAM_STOP_GRACE_SECONDS * 1000,
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    });
  }

  /** Stops the stream exactly at its duration limit; the periodic maintenance scan is the safety net. */
  async scheduleDurationLimit(streamId: string, durationLimitSeconds: number): Promise<void> {
    const payload: JobPayloads['stream.enforce-duration-limit'] = { streamId };
    await this.maintenance.add('stream.enforce-duration-limit', payload, {
      jobId: jobIds.durationLimit(streamId),
      delay: durationLimitSeconds * 1000,
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    });
  }
}
