import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/errors';
import { RelayCandidate, pickRelay } from './relay-selection';
import { RelayRecord, RelaysRepository } from './relays.repository';

export interface RelayRegistration {
  id: string;
  rtmpUrl: string;
  hlsBaseUrl: string;
  region?: string;
  capacity: number;
}

export function staticRelayId(rtmpUrl: string): string {
  return `static-${createHash('sha256').update(rtmpUrl).digest('hex').slice(0, 12)}`;
}

/** The relay fleet: registered agents plus the static fleet from RTMP_RELAY_URLS. */
@Injectable()
export class RelayRegistryService implements OnApplicationBootstrap {
  private readonly staticIds: Set<string>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly relays: RelaysRepository,
    private readonly clock: Clock,
  ) {
    this.staticIds = new Set(config.RTMP_RELAY_URLS.map(staticRelayId));
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const [index, rtmpUrl] of this.config.RTMP_RELAY_URLS.entries()) {
      await this.relays.upsert({
        id: staticRelayId(rtmpUrl),
        rtmpUrl: rtmpUrl.replace(/\/+$/, ''),
        hlsBaseUrl: this.config.RTMP_RELAY_HLS_URLS[index].replace(/\/+$/, ''),
        region: null,
        capacity: this.config.RTMP_RELAY_CAPACITY,
        lastHeartbeatAt: null,
      });
    }
  }

  register(registration: RelayRegistration): Promise<RelayRecord> {
    return this.relays.upsert({
      id: registration.id,
      rtmpUrl: registration.rtmpUrl.replace(/\/+$/, ''),
      hlsBaseUrl: registration.hlsBaseUrl.replace(/\/+$/, ''),
      region: registration.region ?? null,
      capacity: registration.capacity,
      lastHeartbeatAt: this.clock.now(),
    });
  }

  async heartbeat(id: string, data: { load: number; capacity?: number; state?: 'active' | 'draining' }): Promise<RelayRecord> {
    const relay = await this.relays.recordHeartbeat(id, { ...data, at: this.clock.now() });
    if (!relay) throw new NotFoundError(`Relay "${id}" is not registered; register it first`);
    return relay;
  }

  isStatic(id: string): boolean {
    return this.staticIds.has(id);
  }

  list(): Promise<RelayRecord[]> {
    return this.relays.list();
  }

  /** How many live streams each relay carries (the admin dashboard). */
  liveStreamCounts(): Promise<Map<string, number>> {
    return this.relays.assignedLiveCounts();
  }

  findById(id: string): Promise<RelayRecord | null> {
    return this.relays.findById(id);
  }

  async pickFor(userKey: string): Promise<RelayRecord | null> {
    const [relays, assigned] = await Promise.all([this.relays.list(), this.relays.assignedLiveCounts()]);
    const candidates: RelayCandidate[] = relays.map((relay) => ({
      ...relay,
      load: Math.max(relay.load, assigned.get(relay.id) ?? 0),
      isStatic: this.staticIds.has(relay.id),
    }));
    const picked = pickRelay(userKey, candidates, this.clock.now(), this.config.RELAY_HEARTBEAT_STALE_SECONDS * 1000);
    return picked ? (relays.find((relay) => relay.id === picked.id) ?? null) : null;
  }
}
