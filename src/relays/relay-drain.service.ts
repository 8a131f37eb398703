import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/errors';
import { ManagedStreamsRepository } from '../stream-records/managed-streams.repository';
import { StreamTransitions } from '../stream-records/stream-transitions';
import { LIVE_STREAM_STATUSES, type StreamStatus } from '../stream-records/stream-status';
import { RelayReassignmentService } from './relay-reassignment.service';
import { RelayRegistryService } from './relay-registry.service';
import { RelayRecord, RelaysRepository } from './relays.repository';

/** Streams whose glasses are connected to the relay right now: dropping them makes them reconnect. */
const CONNECTED_STATUSES: readonly StreamStatus[] = ['active', 'connecting'];

export interface HandOverReport {
  /** Streams now pointed at another relay, with the relay they go to. */
  moved: { streamId: string; relayId: string }[];
  /** Streams no relay could take now; they reconnect once one can (relay loss does the rest). */
  unplaced: string[];
}

/**
 * Taking a relay out of service without cutting its streams: a draining relay gets no new stream
 * (selection skips it) and keeps the ones it carries until its agent's deadline, when the agent
 * hands them over here and drops their publishers.
 */
@Injectable()
export class RelayDrainService {
  private readonly logger = new Logger(RelayDrainService.name);

  constructor(
    private readonly relays: RelaysRepository,
    private readonly registry: RelayRegistryService,
    private readonly reassignment: RelayReassignmentService,
    private readonly transitions: StreamTransitions,
    private readonly streams: ManagedStreamsRepository,
    private readonly clock: Clock,
  ) {}

  /** An operator's request; the relay's agent learns it from its next heartbeat's answer. */
  async requestDrain(relayId: string): Promise<RelayRecord> {
    const relay = await this.relays.markDraining(relayId);
    if (!relay) throw new NotFoundError(`No relay "${relayId}"`);
    this.logger.log({ relayId, state: relay.state }, 'Relay drain requested');
    return relay;
  }

  /**
   * Every live stream of the relay moves to another one (a `stream.status` event carries the new
   * ingest URL); the ones whose glasses were connected become `reconnecting`, as on relay loss,
   * so their reconnect window applies.
   */
  async handOver(relayId: string): Promise<HandOverReport> {
    const relay = await this.relays.markDraining(relayId);
    if (!relay) throw new NotFoundError(`No relay "${relayId}"`);
    const report: HandOverReport = { moved: [], unplaced: [] };
    for (const streamId of await this.relays.streamIdsOnRelay(relayId, LIVE_STREAM_STATUSES, this.clock.now())) {
      const row = await this.streams.findById(streamId);
      if (!row || row.relayId !== relayId) continue;
      const next = await this.registry.pickFor(row.userPathSegment);
      const moved = next
        ? await this.reassignment.moveTo(row, next, `relay ${relayId} drained; reassigned to relay ${next.id}`)
        : row;
      if (CONNECTED_STATUSES.includes(moved.status)) {
        await this.transitions.transition({ streamId, to: 'reconnecting', reason: `relay ${relayId} drained` });
      }
      if (next) report.moved.push({ streamId, relayId: next.id });
      else report.unplaced.push(streamId);
    }
    this.logger.log({ relayId, moved: report.moved.length, unplaced: report.unplaced.length }, 'Relay handed over its streams');
    return report;
  }
}
