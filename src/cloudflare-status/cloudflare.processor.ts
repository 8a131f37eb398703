import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { DelayedError, UnrecoverableError } from 'bullmq';
import { CloudflareCarrier } from '../strategies/cloudflare-carrier';
import { CloudflareCallError } from '../cloudflare/cloudflare-errors';
import { CloudflareOrphanSweeper } from './cloudflare-orphan-sweeper';
import { CloudflareOutputsReconciler } from './cloudflare-outputs.reconciler';
import { CloudflarePlaybackPoller } from './cloudflare-playback-poller';
import { CloudflareStatusSweepService } from './cloudflare-status-sweep.service';
import { cappedJitteredBackoff } from '../queues/capped-backoff';
import { QUEUES, QueueJob } from '../queues/queues';

type CloudflareJob = QueueJob<
  | 'cloudflare.playback-poll'
  | 'cloudflare.reconcile-outputs'
  | 'cloudflare.delete-live-input'
  | 'cloudflare.status-sweep'
  | 'cloudflare.orphan-sweep'
>;

/**
 * Cloudflare jobs. Handlers re-read state (idempotent); transient Cloudflare failures (network,
 * 5xx, 429, budget) retry with capped jittered backoff, permanent ones fail at once.
 */
@Processor(QUEUES.cloudflare, {
  concurrency: 4,
  settings: { backoffStrategy: (attemptsMade: number) => cappedJitteredBackoff(attemptsMade, 2000, 60_000) },
})
export class CloudflareProcessor extends WorkerHost {
  private readonly logger = new Logger(CloudflareProcessor.name);

  constructor(
    private readonly poller: CloudflarePlaybackPoller,
    private readonly reconciler: CloudflareOutputsReconciler,
    private readonly carrier: CloudflareCarrier,
    private readonly statusSweep: CloudflareStatusSweepService,
    private readonly orphanSweeper: CloudflareOrphanSweeper,
  ) {
    super();
  }

  async process(job: CloudflareJob, token?: string): Promise<unknown> {
    try {
      return await this.run(job, token);
    } catch (error) {
      if (error instanceof CloudflareCallError && error.rateLimited) {
        // Waiting for the budget is not a failure: no retry attempt is spent on it.
        await job.moveToDelayed(Date.now() + Math.max(1000, error.retryAfterMs ?? 30_000), token);
        throw new DelayedError();
      }
      if (error instanceof CloudflareCallError && error.kind !== 'transient') {
        this.logger.warn({ job: job.name, id: job.id, err: error.message }, 'Cloudflare refused; not retrying');
        throw new UnrecoverableError(error.message);
      }
      throw error;
    }
  }

  private async run(job: CloudflareJob, token?: string): Promise<unknown> {
    const name: string = job.name;
    switch (job.name) {
      case 'cloudflare.playback-poll': {
        const outcome = await this.poller.poll(job.data.streamId);
        if (outcome.done) return outcome.result;
        // Not an error: wait and look again, without spending one of the job's retry attempts.
        await job.moveToDelayed(Date.now() + outcome.delayMs, token);
        throw new DelayedError();
      }
      case 'cloudflare.reconcile-outputs':
        return this.reconciler.reconcile(job.data.streamId);
      case 'cloudflare.delete-live-input':
        await this.carrier.deleteLiveInput(job.data.liveInputId);
        return 'deleted';
      case 'cloudflare.status-sweep':
        return this.statusSweep.tick();
      case 'cloudflare.orphan-sweep':
        return this.orphanSweeper.sweep();
      default:
        throw new UnrecoverableError(`Unknown job ${name}`);
    }
  }
}
