import { Module } from '@nestjs/common';
import { AppsModule } from '../apps/apps.module';
import { DestinationsModule } from '../destinations/destinations.module';
import { QueuesModule } from '../queues/queues.module';
import { RelayFleetModule } from '../relays/relay-fleet.module';
import { StrategiesModule } from '../strategies/strategies.module';
import { ManagedStreamsController } from './managed-streams.controller';
import { ManagedStreamsRepository } from './managed-streams.repository';
import { ManagedStreamsService } from './managed-streams.service';
import { StrategyDestinations } from './strategy-destinations';
import { StreamDestinationsService } from './stream-destinations.service';
import { StreamProvisioner } from './stream-provisioner';
import { DestinationProvisionResults } from './destination-provision-results';
import { SseConnections } from './sse-connections';
import { StreamEventBus } from './stream-event-bus';
import { StreamEventStreamer } from './stream-event-streamer';
import { StreamEventsController } from './stream-events.controller';
import { StreamEventsRepository } from './stream-events.repository';
import { StreamLifecycleService } from './stream-lifecycle.service';
import { StreamPresenter } from './stream-presenter';
import { RelayReassignmentService } from './relay-reassignment.service';

@Module({
  imports: [AppsModule, DestinationsModule, StrategiesModule, QueuesModule, RelayFleetModule],
  controllers: [ManagedStreamsController, StreamEventsController],
  providers: [
    ManagedStreamsRepository,
    StreamEventsRepository,
    StreamEventBus,
    SseConnections,
    StreamEventStreamer,
    StreamLifecycleService,
    StreamPresenter,
    StrategyDestinations,
    ManagedStreamsService,
    StreamDestinationsService,
    StreamProvisioner,
    DestinationProvisionResults,
    RelayReassignmentService,
  ],
  exports: [
    ManagedStreamsRepository,
    StreamLifecycleService,
    StreamEventBus,
    SseConnections,
    StrategyDestinations,
    DestinationProvisionResults,
    StrategiesModule,
    RelayReassignmentService,
    StreamDestinationsService,
    StreamPresenter,
  ],
})
export class StreamsModule {}
