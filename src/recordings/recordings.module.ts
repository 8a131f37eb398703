import { Module } from '@nestjs/common';
import { AppsModule } from '../apps/apps.module';
import { RelayFleetModule } from '../relays/relay-fleet.module';
import { StreamRecordsModule } from '../stream-records/stream-records.module';
import { RecordingLinks } from './recording-links';
import { RecordingsController } from './recordings.controller';
import { RecordingsRepository } from './recordings.repository';
import { RecordingsService } from './recordings.service';

/** Recordings of relay streams: what the relays report, the apps' list and deletions, retention. */
@Module({
  imports: [StreamRecordsModule, RelayFleetModule, AppsModule],
  controllers: [RecordingsController],
  providers: [RecordingsRepository, RecordingLinks, RecordingsService],
  exports: [RecordingsService],
})
export class RecordingsModule {}
