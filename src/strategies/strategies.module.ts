import { Module } from '@nestjs/common';
import { RelayFleetModule } from '../relays/relay-fleet.module';
import { PublishKeyService } from '../streams/publish-key.service';
import { RelayStrategy } from './relay.strategy';
import { StrategyRegistry } from './strategy-registry';

@Module({
  imports: [RelayFleetModule],
  providers: [PublishKeyService, RelayStrategy, StrategyRegistry],
  exports: [StrategyRegistry, PublishKeyService],
})
export class StrategiesModule {}
