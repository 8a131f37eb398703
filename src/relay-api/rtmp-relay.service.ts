import { Injectable } from '@nestjs/common';
import type {
  PublishAuthResponse,
  RelayDestination,
  RelayStreamPlan,
  RelayStreamStatus,
} from '../../relay/protocol/relay-protocol.schemas';
import { Clock } from '../common/clock';
import { EncryptionService } from '../common/crypto/encryption.service';
import { NotFoundError } from '../common/errors';
import type { DestinationStatus } from '../generated/prisma/enums';
import { ManagedStreamsRepository, StreamRow } from '../stream-records/managed-streams.repository';
import { PublishKeyService } from '../relays/publish-key.service';
import { DestinationStatusRecorder } from '../stream-records/destination-status.recorder';
import { RelayReassignmentService } from '../relays/relay-reassignment.service';
import { StreamTransitions } from '../stream-records/stream-transitions';
import { isEnded } from '../stream-records/stream-status';
import { StrategyDestinations } from '../strategies/strategy-destinations';
import { userPathSegment } from '../stream-records/user-path-segment';
import { streamIngestHealthEvent, streamPlaybackEvent } from '../stream-records/stream-events';
import { RelayRegistryService } from '../relays/relay-registry.service';
import { relayStreamPlan, streamStatusFromRelay } from './relay-stream-plan';

/** The id the relay reports its push to Cloudflare under, for hybrid streams. */
export const CLOUDFLARE_DESTINATION_ID = 'cloudflare';

/** The relay fleet's view of streams: publish authorisation, destinations, status reports. */
@Injectable()
export class RtmpRelayService {
  constructor(
    private readonly streams: ManagedStreamsRepository,
    private readonly transitions: StreamTransitions,
    private readonly publishKeys: PublishKeyService,
    private readonly strategyDestinations: StrategyDestinations,
    private readonly registry: RelayRegistryService,
    private readonly destinationStatus: DestinationStatusRecorder,
    private readonly clock: Clock,
    private readonly encryption: EncryptionService,
    private readonly reassignment: RelayReassignmentService,
  ) {}

  /** The relay may name the user by id or by the path segment it saw in the RTMP URL. */
  async requireStream(user: string, streamId: string): Promise<StreamRow> {
    const row = await this.streams.findById(streamId);
    if (!row || (row.userId !== user && row.userPathSegment !== user && row.userPathSegment !== userPathSegment(user))) {
      throw new NotFoundError(`No stream "${streamId}" for this user`);
    }
    return row;
  }

  async destinations(user: string, streamId: string): Promise<RelayStreamPlan> {
    return this.plan(await this.requireStream(user, streamId));
  }

  /** The stream's plan for its relay: window, slate and the destinations it feeds right now. */
  plan(row: StreamRow): RelayStreamPlan {
    return relayStreamPlan(row, this.relayDestinations(row));
  }

  private relayDestinations(row: StreamRow): RelayDestination[] {
    if (isEnded(row.status)) return [];
    if (row.strategy === 'hybrid' && row.cloudflareIngestCipher) {
      // Hybrid: the relay's one destination is the Cloudflare live input; Cloudflare fans out.
      const url = this.encryption.decrypt(row.cloudflareIngestCipher, 'stream-key');
      return [{ id: CLOUDFLARE_DESTINATION_ID, name: 'Cloudflare Stream', url }];
    }
    const attachedApps = new Set(row.attachments.map((attachment) => attachment.appId));
    return row.destinations
      .filter((d) => d.enabled && attachedApps.has(d.appId))
      .map((d) => ({ id: d.id, name: d.name, url: this.strategyDestinations.fromRow(d).fullUrl }));
  }

  /**
   * Any live stream may be published by its key, `reconnecting` ones included: that is the glasses
   * coming back (within the reconnect window, while the relay shows the slate, or after a drop).
   */
  async publishAuth(path: string, key: string, relayId?: string): Promise<PublishAuthResponse> {
    const segments = path
      .split('?')[0]
      .split('/')
      .filter((segment) => segment.length > 0);
    if (segments.length < 2) return { allowed: false, reason: 'path must be live/{user}/{streamId}' };
    const [segment, streamId] = segments.slice(-2);
    let row = await this.streams.findById(streamId);
    if (!row || row.userPathSegment !== segment) return { allowed: false, reason: 'unknown stream' };
    if (!this.publishKeys.matches(key, row.publishKeyHash)) return { allowed: false, reason: 'wrong or missing key' };
    if (isEnded(row.status)) return { allowed: false, reason: `stream is ${row.status}` };
    if (relayId && relayId !== row.relayId) {
      // The glasses came in through another relay (their own relay is gone, or a balancer chose):
      // the stream follows them, with the new relay's URLs.
      const relay = await this.registry.findById(relayId);
      if (relay) row = await this.reassignment.moveTo(row, relay, `published through relay ${relayId}`);
    }
    return { allowed: true, streamId: row.id, userId: row.userId, plan: this.plan(row) };
  }

  async hlsReady(body: { userId: string; streamId: string; hlsUrl: string; dashUrl?: string }): Promise<void> {
    const row = await this.requireStream(body.userId, body.streamId);
    await this.transitions.transition({
      streamId: row.id,
      patch: { hlsUrl: body.hlsUrl, dashUrl: body.dashUrl ?? row.dashUrl, hlsReadyAt: this.clock.now() },
      events: [streamPlaybackEvent(row.id, { hlsUrl: body.hlsUrl, dashUrl: body.dashUrl ?? null })],
    });
  }

  async streamStatus(report: RelayStreamStatus): Promise<void> {
    const row = await this.requireStream(report.userId, report.streamId);
    const target = streamStatusFromRelay(report.status, row.status, row.reconnectWindowSeconds);
    const gradeChanged =
      report.ingest !== undefined &&
      report.ingest.grade !== row.ingestGrade &&
      (await this.streams.claimIngestGrade(row.id, report.ingest.grade));
    await this.transitions.transition({
      streamId: row.id,
      to: target,
      reason: report.reason ?? `relay reported ${report.status}`,
      patch: {
        bitrateKbps: report.bitrate !== undefined ? Math.round(report.bitrate) : row.bitrateKbps,
        fps: report.fps ?? row.fps,
        droppedFrames: report.droppedFrames ?? row.droppedFrames,
        viewers: report.viewers ?? row.viewers,
        durationSeconds: report.durationSeconds ?? row.durationSeconds,
        outputMode: report.outputMode ?? row.outputMode,
        outputModeReason: report.outputModeReason ?? row.outputModeReason,
        statsUpdatedAt: this.clock.now(),
        ...(report.ingest ? { ingest: report.ingest, ingestUpdatedAt: this.clock.now() } : {}),
      },
      events: gradeChanged && report.ingest ? [streamIngestHealthEvent(row.id, report.ingest)] : [],
    });
    for (const reported of report.destinations ?? []) {
      await this.applyDestinationStatus(row, reported.id, reported.status, reported.error ?? null);
    }
  }

  private async applyDestinationStatus(
    row: StreamRow,
    destinationId: string,
    status: DestinationStatus,
    error: string | null,
  ): Promise<void> {
    const destination = row.destinations.find((d) => d.id === destinationId);
    if (!destination) return; // removed meanwhile; the relay learns it from the next destination fetch
    const lastError = status === 'errored' ? error : destination.lastError;
    if (destination.status === status && destination.lastError === lastError) return;
    await this.destinationStatus.record(row.id, destination, {
      status,
      reason: status === 'errored' ? error : null,
      also: {
        lastError,
        ...(status === 'starting' && destination.status !== 'starting' ? { attempts: { increment: 1 } } : {}),
      },
      eventOnlyOnChange: true,
    });
  }

  async heartbeat(
    relayId: string,
    body: { load: number; capacity?: number; state?: 'active' | 'draining'; activeStreams: string[] },
  ) {
    const relay = await this.registry.heartbeat(relayId, body);
    const rows = new Map((await this.streams.findStatesByIds(body.activeStreams)).map((row) => [row.id, row]));
    return {
      relayId,
      state: relay.state,
      streams: body.activeStreams
        .map((id) => rows.get(id))
        .filter((row) => row !== undefined)
        .map((row) => ({
          streamId: row.id,
          userId: row.userId,
          desired: isEnded(row.status) ? ('stop' as const) : ('run' as const),
          destinationsVersion: row.destinationsVersion,
        })),
    };
  }
}
