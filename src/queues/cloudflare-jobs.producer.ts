import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { JobPayloads, QUEUES, jobIds } from './queues';

/** Transient failures retry with the worker's capped, jittered exponential backoff (CloudflareProcessor). */
const RETRYING: JobsOptions = {
  attempts: 8,
  backoff: { type: 'capped-jitter' },
  removeOnComplete: 1000,
  removeOnFail: 5000,
};

@Injectable()
export class CloudflareJobsProducer {
  constructor(@InjectQueue(QUEUES.cloudflare) private readonly queue: Queue) {}

  async schedulePlaybackPoll(streamId: string, delayMs = 2000): Promise<void> {
    const payload: JobPayloads['cloudflare.playback-poll'] = { streamId };
    await this.queue.add('cloudflare.playback-poll', payload, {
      ...RETRYING,
      jobId: jobIds.playbackPoll(streamId),
      delay: delayMs,
    });
  }

  async scheduleReconcileOutputs(streamId: string, delayMs = 1000): Promise<void> {
    const payload: JobPayloads['cloudflare.reconcile-outputs'] = { streamId };
    await this.queue.add('cloudflare.reconcile-outputs', payload, {
      ...RETRYING,
      jobId: jobIds.reconcileOutputs(streamId),
      delay: delayMs,
    });
  }

  async scheduleDeleteLiveInput(liveInputId: string): Promise<void> {
    const payload: JobPayloads['cloudflare.delete-live-input'] = { liveInputId };
    await this.queue.add('cloudflare.delete-live-input', payload, {
      ...RETRYING,
      jobId: jobIds.deleteLiveInput(liveInputId),
      delay: 1000,
    });
  }
}
