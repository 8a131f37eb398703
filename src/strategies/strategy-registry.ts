import { Injectable } from '@nestjs/common';
import { CloudflareCircuitBreaker } from '../cloudflare/cloudflare-circuit-breaker';
import { CloudflareStreamClient } from '../cloudflare/cloudflare-stream.client';
import { RelayRegistryService } from '../relays/relay-registry.service';
import type { RelayRecord } from '../relays/relays.repository';
import { chooseStrategy, StrategyChoice } from './choose-strategy';
import { CloudflareStrategy } from './cloudflare.strategy';
import { HybridStrategy } from './hybrid.strategy';
import { RelayStrategy } from './relay.strategy';
import type { RequestedStrategy, StrategyName, StreamStrategy } from './stream-strategy';

export interface StreamHistory {
  userPathSegment: string;
  recentCloudflareError: string | null;
}

/** Knows which strategies exist and gathers what the pure `chooseStrategy` needs. */
@Injectable()
export class StrategyRegistry {
  private readonly strategies: Map<StrategyName, StreamStrategy>;

  constructor(
    relay: RelayStrategy,
    cloudflare: CloudflareStrategy,
    hybrid: HybridStrategy,
    private readonly cloudflareClient: CloudflareStreamClient,
    private readonly breaker: CloudflareCircuitBreaker,
    private readonly relays: RelayRegistryService,
  ) {
    this.strategies = new Map<StrategyName, StreamStrategy>([
      [relay.name, relay],
      [cloudflare.name, cloudflare],
      [hybrid.name, hybrid],
    ]);
  }

  /** `relay`: the relay picked to check that one is available, when that was needed; provision with it. */
  async choose(requested: RequestedStrategy, history: StreamHistory): Promise<StrategyChoice & { relay?: RelayRecord }> {
    const configured = this.cloudflareClient.configured;
    if (requested === 'relay' || !configured) {
      return chooseStrategy({
        requested,
        cloudflare: { configured, healthy: false },
        relayAvailable: true,
        recentCloudflareError: history.recentCloudflareError,
      });
    }
    const circuit = await this.breaker.state();
    const mayNeedRelay = requested === 'hybrid' || (requested === 'auto' && history.recentCloudflareError !== null);
    const relay = mayNeedRelay ? await this.relays.pickFor(history.userPathSegment) : undefined;
    const choice = chooseStrategy({
      requested,
      cloudflare: { configured, healthy: !circuit.open, unhealthyReason: circuit.reason },
      relayAvailable: relay !== null,
      recentCloudflareError: history.recentCloudflareError,
    });
    return relay ? { ...choice, relay } : choice;
  }

  async cloudflareHealthy(): Promise<boolean> {
    return this.cloudflareClient.configured && !(await this.breaker.state()).open;
  }

  get(name: StrategyName): StreamStrategy {
    return this.strategies.get(name) as StreamStrategy;
  }
}
