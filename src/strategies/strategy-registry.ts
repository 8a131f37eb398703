import { Injectable } from '@nestjs/common';
import { RelayStrategy } from './relay.strategy';
import { chooseStrategy, StrategyChoice } from './choose-strategy';
import type { RequestedStrategy, StrategyName, StreamStrategy } from './stream-strategy';

/** Knows which strategies exist and which can carry a stream now. */
@Injectable()
export class StrategyRegistry {
  private readonly strategies: Map<StrategyName, StreamStrategy>;

  constructor(relay: RelayStrategy) {
    this.strategies = new Map<StrategyName, StreamStrategy>([[relay.name, relay]]);
  }

  choose(requested: RequestedStrategy): StrategyChoice {
    return chooseStrategy({ requested, available: new Set(this.strategies.keys()) });
  }

  get(name: StrategyName): StreamStrategy {
    const strategy = this.strategies.get(name);
    // A stream row can name a strategy this process was not configured with (e.g. Cloudflare
    // credentials removed); the relay is the only one that needs nothing to undo.
    return strategy ?? (this.strategies.get('relay') as StreamStrategy);
  }
}
