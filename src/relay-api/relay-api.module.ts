import { Module } from '@nestjs/common';
import { RecordingsModule } from '../recordings/recordings.module';
import { RelayFleetModule } from '../relays/relay-fleet.module';
import { StrategiesModule } from '../strategies/strategies.module';
import { StreamHistoryModule } from '../stream-history/stream-history.module';
import { StreamRecordsModule } from '../stream-records/stream-records.module';
import { RtmpRelayController } from './rtmp-relay.controller';
import { RtmpRelayService } from './rtmp-relay.service';

/** The endpoints the relay agents call: publish authorisation, destinations, status reports, heartbeats. */
@Module({
  imports: [StreamRecordsModule, RelayFleetModule, StrategiesModule, StreamHistoryModule, RecordingsModule],
  controllers: [RtmpRelayController],
  providers: [RtmpRelayService],
})
export class RelayApiModule {}
