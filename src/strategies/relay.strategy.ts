import { Injectable } from '@nestjs/common';
import { ServiceUnavailableError } from '../common/errors';
import { RelayRegistryService } from '../relays/relay-registry.service';
import type { RelayRecord } from '../relays/relays.repository';
import { PublishKeyService } from '../relays/publish-key.service';
import { relayHlsUrl, relayIngestBaseUrl } from '../relays/relay-urls';
import type { ProvisionResult, StrategyDestination, StrategyStream, StreamStrategy } from './stream-strategy';

/**
 * Our own relay fleet. Destination changes need no call: the relay reads the destination list
 * (and its version, from heartbeats) from the relay-facing API.
 */
@Injectable()
export class RelayStrategy implements StreamStrategy {
  readonly name = 'relay' as const;
  readonly provisionsBeforeInsert = true;

  constructor(
    private readonly registry: RelayRegistryService,
    private readonly publishKeys: PublishKeyService,
  ) {}

  async provision(
    stream: StrategyStream,
    _destinations: readonly StrategyDestination[] = [],
    picked?: RelayRecord,
  ): Promise<ProvisionResult> {
    const relay = picked ?? (await this.registry.pickFor(stream.userPathSegment));
    if (!relay) throw new ServiceUnavailableError('No relay has free capacity right now; try again shortly');
    return {
      ingestBaseUrl: relayIngestBaseUrl(relay.rtmpUrl, stream.userPathSegment, stream.id),
      publishKeyHash: this.publishKeys.hash(this.publishKeys.keyFor(stream.id)),
      relayId: relay.id,
      cloudflareLiveInputId: null,
      hlsUrl: relayHlsUrl(relay.hlsBaseUrl, stream.userPathSegment, stream.id),
      dashUrl: null,
      webrtcUrl: null,
    };
  }

  async addDestination(): Promise<Record<string, never>> {
    return {};
  }

  async removeDestination(): Promise<void> {}

  async setDestinationEnabled(): Promise<Record<string, never>> {
    return {};
  }

  async stop(stream: StrategyStream): Promise<'stopped' | 'stopping'> {
    // Nothing runs on a relay until the glasses have published.
    return stream.status === 'initializing' || stream.status === 'connecting' ? 'stopped' : 'stopping';
  }
}
