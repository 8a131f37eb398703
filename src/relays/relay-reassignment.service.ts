import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { relayIsGone } from './relay-health';
import { RelayRegistryService } from './relay-registry.service';
import { relayHlsUrl, relayIngestBaseUrl } from './relay-urls';
import type { RelayRecord } from './relays.repository';
import { StreamRow } from '../stream-records/managed-streams.repository';
import { streamStatusEvent } from '../stream-records/stream-events';
import { StreamTransitions } from '../stream-records/stream-transitions';
import { holdsLiveSlot } from '../stream-records/stream-status';

/**
 * Gives a live stream whose relay is gone a fresh relay: the next time the glasses connect
 * (the app starts the stream again, or another relay asks to publish it) they land somewhere alive.
 * The publish key is derived from the stream id, so only the host part of the ingest URL changes.
 */
@Injectable()
export class RelayReassignmentService {
  private readonly logger = new Logger(RelayReassignmentService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: RelayRegistryService,
    private readonly transitions: StreamTransitions,
    private readonly clock: Clock,
  ) {}

  async ensureLiveRelay(row: StreamRow): Promise<{ row: StreamRow; reassigned: boolean }> {
    // Hybrid streams reach Cloudflare through a relay too: the glasses need a live one either way.
    if (row.strategy === 'cloudflare' || !holdsLiveSlot(row.status) || !row.relayId) return { row, reassigned: false };
    const current = await this.registry.findById(row.relayId);
    const view = current && { ...current, isStatic: this.registry.isStatic(current.id) };
    if (!relayIsGone(view, this.clock.now(), this.config.RELAY_HEARTBEAT_STALE_SECONDS * 1000)) {
      return { row, reassigned: false };
    }
    const next = await this.registry.pickFor(row.userPathSegment);
    // Nothing healthy right now: keep the row as it is; the next attempt tries again.
    if (!next || next.id === row.relayId) return { row, reassigned: false };
    return {
      row: await this.moveTo(row, next, `relay ${row.relayId} is gone; reassigned to relay ${next.id}`),
      reassigned: true,
    };
  }

  /** Points the stream at `relay`, recording a `stream.status` event carrying the new URLs. */
  async moveTo(row: StreamRow, relay: RelayRecord, reason: string): Promise<StreamRow> {
    const ingestBaseUrl = relayIngestBaseUrl(relay.rtmpUrl, row.userPathSegment, row.id);
    // A hybrid stream that Cloudflare already plays keeps Cloudflare's playback URLs.
    const keepsPlayback = row.strategy === 'hybrid' && row.dashUrl !== null;
    const hlsUrl = keepsPlayback ? row.hlsUrl : relayHlsUrl(relay.hlsBaseUrl, row.userPathSegment, row.id);
    const updated = await this.transitions.transition({
      streamId: row.id,
      patch: {
        relayId: relay.id,
        ingestBaseUrl,
        hlsUrl,
        hlsReadyAt: keepsPlayback ? row.hlsReadyAt : null,
        statusReason: reason,
      },
      events: [
        // Without the publish key: events are stored and fanned out; the key is unchanged.
        streamStatusEvent(row.id, row.status, reason, {
          relayId: relay.id,
          previousRelayId: row.relayId,
          ingestUrl: ingestBaseUrl,
          hlsUrl,
        }),
      ],
    });
    this.logger.log({ streamId: row.id, from: row.relayId, to: relay.id }, 'Stream reassigned to another relay');
    return updated ?? row;
  }
}
