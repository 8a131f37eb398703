import { Injectable } from '@nestjs/common';
import type {
  PublishAuthResponse,
  RelayDestination,
  RelayDestinationReport,
  RelayStreamPlan,
  RelayStreamStatus,
} from '../../relay/protocol/relay-protocol.schemas';
import { Clock } from '../common/clock';
import { EncryptionService } from '../common/crypto/encryption.service';
import { NotFoundError } from '../common/errors';
import {
  DestinationPatch,
  DestinationRow,
  ManagedStreamsRepository,
  StreamRow,
} from '../stream-records/managed-streams.repository';
import { destinationHealthData } from '../stream-records/destination-health';
import { PublishKeyService } from '../relays/publish-key.service';
import { DestinationStatusRecorder } from '../stream-records/destination-status.recorder';
import { RelayReassignmentService } from '../relays/relay-reassignment.service';
import { StreamTransitions } from '../stream-records/stream-transitions';
import { isEnded } from '../stream-records/stream-status';
import { StrategyDestinations } from '../strategies/strategy-destinations';
import { userPathSegment } from '../stream-records/user-path-segment';
import { streamIngestHealthEvent, streamPlaybackEvent } from '../stream-records/stream-events';
import { RelayRegistryService } from '../relays/relay-registry.service';
import { RecordingsService } from '../recordings/recordings.service';
import { sampleFromReport } from '../stream-history/stream-samples';
import { StreamSamplesRepository } from '../stream-history/stream-samples.repository';
import { relayStreamPlan, STOP_CONFIRMED_REASON, streamStatusFromRelay } from './relay-stream-plan';

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
    private readonly samples: StreamSamplesRepository,
    private readonly recordings: RecordingsService,
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
      return [{ id: CLOUDFLARE_DESTINATION_ID, name: 'Cloudflare Stream', url, retry: 0 }];
    }
    return carriedDestinations(row).map((d) => ({
      id: d.id,
      name: d.name,
      url: this.strategyDestinations.fromRow(d).fullUrl,
      retry: d.retryRequests,
    }));
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
    const target = streamStatusFromRelay(report.status, row.status, row.reconnectWindowSeconds, report.stopCause);
    const confirmsStop = target === 'stopped' && row.status === 'stopping';
    const gradeChanged =
      report.ingest !== undefined &&
      report.ingest.grade !== row.ingestGrade &&
      (await this.streams.claimIngestGrade(row.id, report.ingest.grade));
    const updated = await this.transitions.transition({
      streamId: row.id,
      to: target,
      reason: confirmsStop ? STOP_CONFIRMED_REASON : (report.reason ?? `relay reported ${report.status}`),
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
    const sample = isEnded(row.status) ? null : sampleFromReport({ ...report, streamId: row.id }, this.clock.now());
    if (sample) await this.samples.record(sample);
    // The relay's word counts only for the destinations it should be feeding now: a report built
    // before a destination was disabled, its app left or the stream ended must not bring it back.
    const current = updated ?? row;
    const carried = new Set(carriedDestinations(current).map((d) => d.id));
    for (const reported of report.destinations ?? []) {
      if (carried.has(reported.id)) await this.applyDestinationStatus(current, reported);
    }
  }

  /** Writes what changed; the event comes only with a new status or error code (see the recorder). */
  private async applyDestinationStatus(row: StreamRow, reported: RelayDestinationReport): Promise<void> {
    const destination = row.destinations.find((d) => d.id === reported.id);
    if (!destination) return; // removed meanwhile; the relay learns it from the next destination fetch
    const patch = destinationPatchFrom(reported);
    if (destination.status === reported.status && !changes(destination, patch)) return;
    const after = { ...destination, ...patch, attempts: patch.attempts ?? destination.attempts };
    const failing = reported.status === 'retrying' || reported.status === 'failed';
    await this.destinationStatus.record(row.id, destination, {
      status: reported.status,
      reason: failing ? (reported.lastError?.message ?? null) : null,
      also: patch,
      data: destinationHealthData(after),
      eventOnlyOnChange: true,
    });
  }

  async heartbeat(
    relayId: string,
    body: {
      load: number;
      capacity?: number;
      state?: 'active' | 'draining';
      activeStreams: string[];
      deletedRecordings?: string[];
    },
  ) {
    const relay = await this.registry.heartbeat(relayId, body);
    await this.confirmStops(relayId, body.activeStreams);
    const deleteRecordings = await this.recordings.heartbeat(relayId, body.deletedRecordings ?? []);
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
      deleteRecordings,
    };
  }

  /** A stream we asked this relay to stop that it no longer carries has stopped: the relay says so by its heartbeat. */
  private async confirmStops(relayId: string, activeStreams: readonly string[]): Promise<void> {
    const carried = new Set(activeStreams);
    for (const streamId of await this.streams.findStoppingOnRelay(relayId)) {
      if (carried.has(streamId)) continue;
      await this.transitions.transition({ streamId, to: 'stopped', reason: STOP_CONFIRMED_REASON });
    }
  }
}

/** The destinations the relay should be feeding: enabled, of an attached app, on a stream not ended. */
function carriedDestinations(row: StreamRow): StreamRow['destinations'] {
  if (isEnded(row.status)) return [];
  const attachedApps = new Set(row.attachments.map((attachment) => attachment.appId));
  return row.destinations.filter((d) => d.enabled && attachedApps.has(d.appId));
}

type ReportedColumns = Omit<DestinationPatch, 'attempts'> & { attempts?: number };

/** The columns a relay's report of one destination sets; what it leaves out is kept. */
function destinationPatchFrom(reported: RelayDestinationReport): ReportedColumns {
  const broadcasting = reported.status === 'broadcasting';
  return {
    ...(reported.attempts !== undefined ? { attempts: reported.attempts } : {}),
    ...(reported.nextRetryAt !== undefined ? { nextRetryAt: reported.nextRetryAt ? new Date(reported.nextRetryAt) : null } : {}),
    ...(reported.lastError
      ? {
          lastError: reported.lastError.message,
          lastErrorCode: reported.lastError.code,
          lastErrorAt: new Date(reported.lastError.at),
        }
      : {}),
    sentBitrateKbps: broadcasting && reported.sentBitrateKbps !== undefined ? Math.round(reported.sentBitrateKbps) : null,
    sentFrames: broadcasting ? (reported.sentFrames ?? null) : null,
  };
}

function changes(row: DestinationRow, patch: ReportedColumns): boolean {
  return (Object.keys(patch) as (keyof ReportedColumns)[]).some((key) => {
    const before = row[key as keyof DestinationRow];
    const after = patch[key];
    if (before instanceof Date || after instanceof Date) {
      return (before instanceof Date ? before.getTime() : before) !== (after instanceof Date ? after.getTime() : after);
    }
    return before !== after;
  });
}
