import { Module } from '@nestjs/common';
import { StreamsModule } from '../streams/streams.module';
import { RelayFleetModule } from './relay-fleet.module';
import { RelayHealthService } from './relay-health.service';
import { RtmpRelayController } from './rtmp-relay.controller';
import { RtmpRelayService } from './rtmp-relay.service';

@Module({
  imports: [StreamsModule, RelayFleetModule],
  controllers: [RtmpRelayController],
  providers: [RtmpRelayService, RelayHealthService],
  exports: [RelayHealthService],
})
export class RelaysModule {}
