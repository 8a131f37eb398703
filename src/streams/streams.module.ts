import { Module } from '@nestjs/common';
import { AppsModule } from '../apps/apps.module';
import { DestinationsModule } from '../destinations/destinations.module';
import { QueuesModule } from '../queues/queues.module';
import { RelayFleetModule } from '../relays/relay-fleet.module';
import { StreamRecordsModule } from '../stream-records/stream-records.module';
import { StrategiesModule } from '../strategies/strategies.module';
import { ManagedStreamsController } from './managed-streams.controller';
import { ManagedStreamsService } from './managed-streams.service';
import { StreamDestinationsService } from './stream-destinations.service';
import { StreamProvisioner } from './stream-provisioner';
import { SseConnections } from './sse-connections';
import { StreamEventStreamer } from './stream-event-streamer';
import { StreamEventsController } from './stream-events.controller';
import { StreamLifecycleService } from './stream-lifecycle.service';
import { StreamPresenter } from './stream-presenter';

@Module({
  imports: [AppsModule, DestinationsModule, StrategiesModule, QueuesModule, RelayFleetModule, StreamRecordsModule],
  controllers: [ManagedStreamsController, StreamEventsController],
  providers: [
    SseConnections,
    StreamEventStreamer,
    StreamLifecycleService,
    StreamPresenter,
    ManagedStreamsService,
    StreamDestinationsService,
    StreamProvisioner,
  ],
  exports: [StreamLifecycleService, SseConnections, StreamDestinationsService, StreamPresenter],
})
export class StreamsModule {}
