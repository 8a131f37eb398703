import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import type { RelayRecord } from '../../relays/relays.repository';
import { RelayDrainService } from '../../relays/relay-drain.service';
import { RelayRegistryService } from '../../relays/relay-registry.service';
import type { AdminRelayView } from './admin-relays.schemas';

/** Pure: one relay as operators see it. */
export function adminRelayView(relay: RelayRecord, liveStreams: number, now: Date): AdminRelayView {
  return {
    id: relay.id,
    rtmpUrl: relay.rtmpUrl,
    hlsBaseUrl: relay.hlsBaseUrl,
    region: relay.region,
    state: relay.state,
    capacity: relay.capacity,
    load: relay.load,
    liveStreams,
    lastHeartbeatAt: relay.lastHeartbeatAt?.toISOString() ?? null,
    heartbeatAgeSeconds: relay.lastHeartbeatAt
      ? Math.max(0, Math.floor((now.getTime() - relay.lastHeartbeatAt.getTime()) / 1000))
      : null,
  };
}

@Injectable()
export class AdminRelaysService {
  constructor(
    private readonly registry: RelayRegistryService,
    private readonly clock: Clock,
    private readonly drainer: RelayDrainService,
  ) {}

  async list(): Promise<AdminRelayView[]> {
    const [relays, counts] = await Promise.all([this.registry.list(), this.registry.liveStreamCounts()]);
    const now = this.clock.now();
    return relays.map((relay) => adminRelayView(relay, counts.get(relay.id) ?? 0, now));
  }

  async drain(relayId: string): Promise<AdminRelayView> {
    const relay = await this.drainer.requestDrain(relayId);
    const counts = await this.registry.liveStreamCounts();
    return adminRelayView(relay, counts.get(relay.id) ?? 0, this.clock.now());
  }
}
