import { Module } from '@nestjs/common';
import { CloudflareModule } from '../cloudflare/cloudflare.module';
import { QueuesModule } from '../queues/queues.module';
import { RelayFleetModule } from '../relays/relay-fleet.module';
import { StreamRecordsModule } from '../stream-records/stream-records.module';
import { CloudflareCarrier } from './cloudflare-carrier';
import { CloudflareStrategy } from './cloudflare.strategy';
import { DestinationProvisionResults } from './destination-provision-results';
import { HybridStrategy } from './hybrid.strategy';
import { RelayStrategy } from './relay.strategy';
import { StrategyDestinations } from './strategy-destinations';
import { StrategyRegistry } from './strategy-registry';

@Module({
  imports: [RelayFleetModule, CloudflareModule, QueuesModule, StreamRecordsModule],
  providers: [
    CloudflareCarrier,
    RelayStrategy,
    CloudflareStrategy,
    HybridStrategy,
    StrategyRegistry,
    StrategyDestinations,
    DestinationProvisionResults,
  ],
  exports: [
    StrategyRegistry,
    RelayStrategy,
    CloudflareStrategy,
    CloudflareCarrier,
    CloudflareModule,
    StrategyDestinations,
    DestinationProvisionResults,
  ],
})
export class StrategiesModule {}
