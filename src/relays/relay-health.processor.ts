import { Processor, WorkerHost } from '@nestjs/bullmq';
import { RelayHealthReport, RelayHealthService } from './relay-health.service';
import { QUEUES, QueueJob } from '../queues/queues';

type RelayHealthJob = QueueJob<'relay-health.scan'>;

@Processor(QUEUES.relayHealth)
export class RelayHealthProcessor extends WorkerHost {
  constructor(private readonly health: RelayHealthService) {
    super();
  }

  async process(job: RelayHealthJob): Promise<RelayHealthReport> {
    switch (job.name) {
      case 'relay-health.scan':
        return this.health.scan();
      default:
        throw new Error(`Unknown job ${String(job.name)}`);
    }
  }
}
