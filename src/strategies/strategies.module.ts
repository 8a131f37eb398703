import { Module } from '@nestjs/common';
import { CloudflareModule } from '../cloudflare/cloudflare.module';
import { QueuesModule } from '../queues/queues.module';
import { RelayFleetModule } from '../relays/relay-fleet.module';
import { PublishKeyService } from '../streams/publish-key.service';
import { CloudflareStrategy } from './cloudflare.strategy';
import { HybridStrategy } from './hybrid.strategy';
import { RelayStrategy } from './relay.strategy';
import { StrategyRegistry } from './strategy-registry';

@Module({
  imports: [RelayFleetModule, CloudflareModule, QueuesModule],
  providers: [PublishKeyService, RelayStrategy, CloudflareStrategy, HybridStrategy, StrategyRegistry],
  exports: [StrategyRegistry, PublishKeyService, RelayStrategy, CloudflareStrategy, CloudflareModule],
})
export class StrategiesModule {}
