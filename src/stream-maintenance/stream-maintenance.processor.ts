import { Processor, WorkerHost } from '@nestjs/bullmq';
import { QUEUES, QueueJob } from '../queues/queues';
import { MaintenanceReport, StreamMaintenanceService } from './stream-maintenance.service';

type MaintenanceJob = QueueJob<'stream-maintenance.scan' | 'stream.enforce-duration-limit'>;

@Processor(QUEUES.streamMaintenance)
export class StreamMaintenanceProcessor extends WorkerHost {
  constructor(private readonly maintenance: StreamMaintenanceService) {
    super();
  }

  async process(job: MaintenanceJob): Promise<MaintenanceReport | string> {
    const name: string = job.name;
    switch (job.name) {
      case 'stream-maintenance.scan':
        return this.maintenance.scan();
      case 'stream.enforce-duration-limit':
        return (await this.maintenance.enforceDurationLimit(job.data.streamId)) ? 'stopped' : 'nothing to do';
      default:
        throw new Error(`Unknown job ${name}`);
    }
  }
}
