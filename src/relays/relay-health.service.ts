import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { StreamTransitions } from '../stream-records/stream-transitions';
import type { StreamStatus } from '../stream-records/stream-status';
import { relaysToTakeOffline } from './relay-health';
import { RelayRegistryService } from './relay-registry.service';
import { RelaysRepository } from './relays.repository';

/** Streams that were flowing through a relay; the glasses will have to come back elsewhere. */
const INTERRUPTED_STATUSES: readonly StreamStatus[] = ['active', 'connecting'];

export interface RelayHealthReport {
  offline: string[];
  reconnecting: string[];
}

/** Takes silent relays out of assignment and marks the streams they carried as reconnecting. */
@Injectable()
export class RelayHealthService {
  private readonly logger = new Logger(RelayHealthService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly relays: RelaysRepository,
    private readonly registry: RelayRegistryService,
    private readonly transitions: StreamTransitions,
    private readonly clock: Clock,
  ) {}

  /**
   * Idempotent: a relay already offline is not taken offline again, a stream already
   * reconnecting is left alone. Streams on every offline relay are checked, not only on the ones
   * taken offline now, so a scan that died half-way is completed by the next.
   */
  async scan(): Promise<RelayHealthReport> {
    const all = (await this.relays.list()).map((relay) => ({ ...relay, isStatic: this.registry.isStatic(relay.id) }));
    const stale = relaysToTakeOffline(all, this.clock.now(), this.config.RELAY_HEARTBEAT_STALE_SECONDS * 1000);
    const report: RelayHealthReport = { offline: [], reconnecting: [] };
    for (const relay of stale) {
      if (!(await this.relays.markOffline(relay.id, relay.lastHeartbeatAt))) continue;
      report.offline.push(relay.id);
      this.logger.warn({ relayId: relay.id, lastHeartbeatAt: relay.lastHeartbeatAt }, 'Relay taken offline');
    }
    // Streams changed after their relay went offline (a late report proved them alive) are left alone,
    // so a relay that reports without heartbeating does not make its streams flap.
    const offline = (await this.relays.list()).filter((relay) => relay.state === 'offline');
    for (const relay of offline) {
      const reason = `relay ${relay.id} stopped sending heartbeats`;
      for (const streamId of await this.relays.streamIdsOnRelay(relay.id, INTERRUPTED_STATUSES, relay.updatedAt)) {
        const row = await this.transitions.transition({ streamId, to: 'reconnecting', reason });
        if (row?.status === 'reconnecting') report.reconnecting.push(streamId);
      }
    }
    return report;
  }
}
