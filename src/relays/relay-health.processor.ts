import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { RelayHealthReport, RelayHealthService } from './relay-health.service';
import { JobOf, QUEUES } from '../queues/queues';

type RelayHealthJob = JobOf<'relay-health.scan'>;

@Processor(QUEUES.relayHealth)
export class RelayHealthProcessor extends WorkerHost {
  constructor(private readonly health: RelayHealthService) {
    super();
  }

  async process(job: Job<RelayHealthJob['data'], RelayHealthReport, RelayHealthJob['name']>): Promise<RelayHealthReport> {
    switch (job.name) {
      case 'relay-health.scan':
        return this.health.scan();
      default:
        throw new Error(`Unknown job ${String(job.name)}`);
    }
  }
}
