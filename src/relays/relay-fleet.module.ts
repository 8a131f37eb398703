import { Module } from '@nestjs/common';
import { StreamRecordsModule } from '../stream-records/stream-records.module';
import { PublishKeyService } from './publish-key.service';
import { RelayDrainService } from './relay-drain.service';
import { RelayHealthService } from './relay-health.service';
import { RelayReassignmentService } from './relay-reassignment.service';
import { RelayRegistryService } from './relay-registry.service';
import { RelaysRepository } from './relays.repository';

/** The relay fleet: registry, selection, health, draining, reassignment and publish keys, without the relay endpoints. */
@Module({
  imports: [StreamRecordsModule],
  providers: [
    RelaysRepository,
    RelayRegistryService,
    PublishKeyService,
    RelayHealthService,
    RelayReassignmentService,
    RelayDrainService,
  ],
  exports: [
    RelayRegistryService,
    RelaysRepository,
    PublishKeyService,
    RelayHealthService,
    RelayReassignmentService,
    RelayDrainService,
  ],
})
export class RelayFleetModule {}
