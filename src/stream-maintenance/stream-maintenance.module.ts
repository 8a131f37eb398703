import { Module } from '@nestjs/common';
import { StreamRecordsModule } from '../stream-records/stream-records.module';
import { StreamsModule } from '../streams/streams.module';
import { StreamMaintenanceProcessor } from './stream-maintenance.processor';
import { StreamMaintenanceRepository } from './stream-maintenance.repository';
import { StreamMaintenanceService } from './stream-maintenance.service';

/** Duration limits, publish and reconnect timeouts, rows stuck mid-transition; loaded by the worker only. */
@Module({
  imports: [StreamRecordsModule, StreamsModule],
  providers: [StreamMaintenanceRepository, StreamMaintenanceService, StreamMaintenanceProcessor],
})
export class StreamMaintenanceModule {}
