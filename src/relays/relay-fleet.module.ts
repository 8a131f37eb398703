import { Module } from '@nestjs/common';
import { RelayRegistryService } from './relay-registry.service';
import { RelaysRepository } from './relays.repository';

/** The fleet registry on its own, so strategies can pick relays without the relay endpoints. */
@Module({ providers: [RelaysRepository, RelayRegistryService], exports: [RelayRegistryService, RelaysRepository] })
export class RelayFleetModule {}
