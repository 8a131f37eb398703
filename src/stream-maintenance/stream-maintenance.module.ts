import { Module } from '@nestjs/common';
import { StreamHistoryModule } from '../stream-history/stream-history.module';
import { StreamRecordsModule } from '../stream-records/stream-records.module';
import { StreamsModule } from '../streams/streams.module';
import { StreamMaintenanceProcessor } from './stream-maintenance.processor';
import { StreamMaintenanceRepository } from './stream-maintenance.repository';
import { StreamMaintenanceService } from './stream-maintenance.service';

/** Duration limits, publish and reconnect timeouts, rows stuck mid-transition, old chart samples; loaded by the worker only. */
@Module({
  imports: [StreamRecordsModule, StreamsModule, StreamHistoryModule],
  providers: [StreamMaintenanceRepository, StreamMaintenanceService, StreamMaintenanceProcessor],
})
export class StreamMaintenanceModule {}
