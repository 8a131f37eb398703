import { Processor, WorkerHost } from '@nestjs/bullmq';
import { QUEUES, QueueJob } from '../queues/queues';
import { RecordingsService } from './recordings.service';

@Processor(QUEUES.recordings)
export class RecordingsProcessor extends WorkerHost {
  constructor(private readonly recordings: RecordingsService) {
    super();
  }

  async process(job: QueueJob<'recordings.expire'>): Promise<string> {
    const name: string = job.name;
    if (job.name !== 'recordings.expire') throw new Error(`Unknown job ${name}`);
    return `${await this.recordings.expire()} recordings to delete`;
  }
}
