import { Module } from '@nestjs/common';
import { AppsModule } from '../apps/apps.module';
import { DestinationHostPolicy, HostResolver } from './destination-host-policy';
import { DestinationInputResolver } from './destination-input.resolver';
import { SavedDestinationsController } from './saved-destinations.controller';
import { SavedDestinationsRepository } from './saved-destinations.repository';
import { SavedDestinationsService } from './saved-destinations.service';

@Module({
  imports: [AppsModule],
  controllers: [SavedDestinationsController],
  providers: [
    HostResolver,
    DestinationHostPolicy,
    SavedDestinationsRepository,
    SavedDestinationsService,
    DestinationInputResolver,
  ],
  exports: [DestinationInputResolver, SavedDestinationsService, DestinationHostPolicy],
})
export class DestinationsModule {}
