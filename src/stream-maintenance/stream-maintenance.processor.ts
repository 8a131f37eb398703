import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobOf, QUEUES } from '../queues/queues';
import { MaintenanceReport, StreamMaintenanceService } from './stream-maintenance.service';

type MaintenanceJob = JobOf<'stream-maintenance.scan' | 'stream.enforce-duration-limit'>;

@Processor(QUEUES.streamMaintenance)
export class StreamMaintenanceProcessor extends WorkerHost {
  constructor(private readonly maintenance: StreamMaintenanceService) {
    super();
  }

  async process(job: Job<MaintenanceJob['data'], unknown, MaintenanceJob['name']>): Promise<MaintenanceReport | string> {
    const typed = { name: job.name, data: job.data } as MaintenanceJob;
    switch (typed.name) {
      case 'stream-maintenance.scan':
        return this.maintenance.scan();
      case 'stream.enforce-duration-limit':
        return (await this.maintenance.enforceDurationLimit(typed.data.streamId)) ? 'stopped' : 'nothing to do';
      default:
        throw new Error(`Unknown job ${String(job.name)}`);
    }
  }
}
