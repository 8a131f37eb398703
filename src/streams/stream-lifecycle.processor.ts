import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { ManagedStreamsRepository } from '../stream-records/managed-streams.repository';
import { StreamTransitions } from '../stream-records/stream-transitions';
import { QUEUES, QueueJob } from '../queues/queues';

type LifecycleJob = QueueJob<'stream.finalize-stop'>;

@Processor(QUEUES.streamLifecycle)
export class StreamLifecycleProcessor extends WorkerHost {
  private readonly logger = new Logger(StreamLifecycleProcessor.name);

  constructor(
    private readonly streams: ManagedStreamsRepository,
    private readonly transitions: StreamTransitions,
  ) {
    super();
  }

  async process(job: LifecycleJob): Promise<string> {
    switch (job.name) {
      case 'stream.finalize-stop':
        return this.finalizeStop(job.data.streamId);
      default:
        throw new Error(`Unknown job ${String(job.name)}`);
    }
  }

  /** Idempotent: does nothing unless the stream is still waiting for its carrier to confirm. */
  private async finalizeStop(streamId: string): Promise<string> {
    const stream = await this.streams.findById(streamId);
    if (!stream || stream.status !== 'stopping') return 'nothing to do';
    await this.transitions.transition({ streamId, to: 'stopped', reason: 'the carrier did not confirm the stop in time' });
    this.logger.log({ streamId }, 'Stream marked stopped after the stop grace period');
    return 'stopped';
  }
}
