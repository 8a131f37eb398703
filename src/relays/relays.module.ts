import { Module } from '@nestjs/common';
import { StreamsModule } from '../streams/streams.module';
import { RelayFleetModule } from './relay-fleet.module';
import { RtmpRelayController } from './rtmp-relay.controller';
import { RtmpRelayService } from './rtmp-relay.service';

@Module({
  imports: [StreamsModule, RelayFleetModule],
  controllers: [RtmpRelayController],
  providers: [RtmpRelayService],
})
export class RelaysModule {}
