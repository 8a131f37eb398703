import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { StreamLifecycleProducer } from '../queues/stream-lifecycle.producer';
import { ManagedStreamsRepository, StreamPatch, StreamRow } from './managed-streams.repository';
import { StreamEventBus } from './stream-event-bus';
import { destinationStatusEvent, NewStreamEvent, streamStatusEvent } from './stream-events';
import { canTransitionStream, DestinationStatus, StreamStatus } from './stream-status';

// A failed destination keeps its state (and error) after the stream: it tells what to fix before the next one.
const SENDING_DESTINATION: readonly DestinationStatus[] = ['starting', 'broadcasting', 'retrying'];

/** One change to a stream: a status to move to and/or columns to write, with the events that go with it. */
export interface StreamTransition {
  streamId: string;
  /** The status to move to when the rules allow it from the current one; absent or null keeps the status. */
  to?: StreamStatus | null;
  /** Why the status changes (stored as statusReason and on the status event). */
  reason?: string | null;
  /** Columns written with the change, whether or not the status changes. */
  patch?: StreamPatch;
  /** Recorded after the status event, if any. */
  events?: readonly NewStreamEvent[];
  /** Added to the status event's data, beside `from`. */
  statusData?: Record<string, unknown>;
  /** The decision behind the change, re-checked on the row read just before writing (else nothing is written). */
  onlyIf?: (current: StreamRow) => boolean;
}

/** Moves streams between statuses by the written-down rules, recording and broadcasting each change. */
@Injectable()
export class StreamTransitions {
  private readonly logger = new Logger(StreamTransitions.name);

  constructor(
    private readonly streams: ManagedStreamsRepository,
    private readonly bus: StreamEventBus,
    private readonly producer: StreamLifecycleProducer,
    private readonly clock: Clock,
  ) {}

  /**
   * Changes status when the rules allow it from the current one; otherwise applies only the
   * patch. Optimistic: retried when another writer changed the status in between. Null when the
   * stream is gone or `onlyIf` no longer holds.
   */
  async transition({
    streamId,
    to = null,
    reason = null,
    patch = {},
    events: extraEvents = [],
    statusData = {},
    onlyIf,
  }: StreamTransition): Promise<StreamRow | null> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.streams.findById(streamId);
      if (!current || (onlyIf && !onlyIf(current))) return null;
      const changes = to !== null && to !== current.status && canTransitionStream(current.status, to);
      const now = this.clock.now();
      const fullPatch: StreamPatch = { ...patch };
      const events = [...extraEvents];
      // A stopped stream sends nothing: none of its destinations is still starting, broadcasting or retrying.
      const stoppedDestinations =
        changes && to === 'stopped' ? current.destinations.filter((d) => SENDING_DESTINATION.includes(d.status)) : [];
      if (changes) {
        fullPatch.status = to;
        fullPatch.statusReason = reason;
        if (to === 'active' && !current.startedAt) fullPatch.startedAt = now;
        if (to === 'stopped') fullPatch.endedAt = now;
        events.unshift(streamStatusEvent(streamId, to, reason, { from: current.status, ...statusData }));
        // Before the stream's `stopped`, which ends every event feed of the stream.
        events.unshift(...stoppedDestinations.map((d) => destinationStatusEvent(streamId, d, 'stopped', 'the stream stopped')));
      } else if (to !== null && to !== current.status) {
        this.logger.debug({ streamId, from: current.status, to }, 'Ignored a status change the rules do not allow');
      }
      if (Object.keys(fullPatch).length === 0 && events.length === 0) return current;
      const stopIds = stoppedDestinations.map((d) => d.id);
      const result = await this.streams.update(streamId, fullPatch, events, current.status, stopIds);
      if (result) {
        await this.bus.publish(result.events);
        if (fullPatch.startedAt && result.row.durationLimit !== null) await this.scheduleDurationLimit(result.row);
        return result.row;
      }
    }
    throw new Error(`Stream ${streamId} kept changing status; gave up after 3 attempts`);
  }

  private async scheduleDurationLimit(row: StreamRow): Promise<void> {
    try {
      await this.producer.scheduleDurationLimit(row.id, row.durationLimit ?? 0);
    } catch (error) {
      // The stream is already active; the maintenance scan enforces the limit without this job.
      this.logger.warn({ err: error, streamId: row.id }, 'Could not schedule the duration limit');
    }
  }
}
