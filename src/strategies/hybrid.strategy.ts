import { Injectable } from '@nestjs/common';
import type { RelayRecord } from '../relays/relays.repository';
import { CloudflareStrategy } from './cloudflare.strategy';
import { RelayStrategy } from './relay.strategy';
import type {
  DestinationProvisionResult,
  ProvisionResult,
  StrategyDestination,
  StrategyStream,
  StreamStrategy,
} from './stream-strategy';

/**
 * For glasses whose raw stream Cloudflare rejects: they push to our relay, which cleans the stream
 * and pushes it to a Cloudflare Live Input as its only destination; Cloudflare fans out through
 * Outputs and serves playback from its CDN.
 */
@Injectable()
export class HybridStrategy implements StreamStrategy {
  readonly name = 'hybrid' as const;
  readonly provisionsBeforeInsert = false;

  constructor(
    private readonly relay: RelayStrategy,
    private readonly cloudflare: CloudflareStrategy,
  ) {}

  async provision(
    stream: StrategyStream,
    destinations: readonly StrategyDestination[],
    picked?: RelayRecord,
  ): Promise<ProvisionResult> {
    const relay = await this.relay.provision(stream, [], picked);
    const input = await this.cloudflare.provision(stream, destinations);
    // The glasses push to the relay; Cloudflare's CDN serves playback once its live video appears,
    // the relay's HLS until then.
    return {
      ...relay,
      cloudflareLiveInputId: input.cloudflareLiveInputId,
      cloudflareIngestCipher: input.cloudflareIngestCipher,
      destinations: input.destinations,
    };
  }

  addDestination(stream: StrategyStream, destination: StrategyDestination): Promise<DestinationProvisionResult> {
    return this.cloudflare.addDestination(stream, destination);
  }

  removeDestination(stream: StrategyStream, destination: StrategyDestination): Promise<void> {
    return this.cloudflare.removeDestination(stream, destination);
  }

  setDestinationEnabled(
    stream: StrategyStream,
    destination: StrategyDestination,
    enabled: boolean,
  ): Promise<DestinationProvisionResult> {
    return this.cloudflare.setDestinationEnabled(stream, destination, enabled);
  }

  async stop(stream: StrategyStream): Promise<'stopped' | 'stopping'> {
    if (stream.cloudflareLiveInputId) await this.cloudflare.deleteOrRetryLater(stream.cloudflareLiveInputId);
    return this.relay.stop(stream);
  }
}
