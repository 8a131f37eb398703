import { Injectable } from '@nestjs/common';
import type { DestinationStatus } from './stream-status';
import { DestinationPatch, DestinationRow, DestinationState, ManagedStreamsRepository } from './managed-streams.repository';
import { StreamEventBus } from './stream-event-bus';
import { destinationStatusEvent } from './stream-events';

/** A destination's new status, and what is written and told with it. */
export interface DestinationStatusChange {
  status: DestinationStatus;
  /** On the `destination.status` event. */
  reason: string | null;
  /** Columns written with the status (lastError, enabled, attempts, the Cloudflare output id). */
  also?: Omit<DestinationPatch, 'status'>;
  /** On the event, e.g. `{ enabled }`. */
  data?: Record<string, unknown>;
  /** The relay must re-read the stream's destinations (an app enabled or disabled one). */
  bumpVersion?: boolean;
  /**
   * Records the event only when the status, or the error code written with it, differs from the
   * destination's: relay reports repeat themselves, and a retry that fails the same way is no news.
   */
  eventOnlyOnChange?: boolean;
}

/**
 * The one writer of a destination's status: relay reports, an app enabling or disabling it, the
 * maintenance repairs, Cloudflare observations and carriers refusing it all go through here, so
 * the row, its `destination.status` event and the broadcast stay together. (A stream that stops
 * stops its sending destinations in the same transaction, in StreamTransitions, so their events
 * come before the stream's final `stopped`.)
 */
@Injectable()
export class DestinationStatusRecorder {
  constructor(
    private readonly streams: ManagedStreamsRepository,
    private readonly bus: StreamEventBus,
  ) {}

  async record(
    streamId: string,
    destination: Pick<DestinationRow, 'id' | 'appId' | 'status'>,
    change: DestinationStatusChange,
  ): Promise<DestinationRow> {
    const event = destinationStatusEvent(streamId, destination, change.status, change.reason, change.data);
    // Decided on the row as stored when written: relay reports may arrive together.
    const events = change.eventOnlyOnChange ? (before: DestinationState) => (isNews(before, change) ? [event] : []) : [event];
    const result = await this.streams.updateDestination(
      streamId,
      destination.id,
      { ...change.also, status: change.status },
      events,
      change.bumpVersion ?? false,
    );
    await this.bus.publish(result.events);
    return result.destination;
  }
}

function isNews(before: DestinationState, change: DestinationStatusChange): boolean {
  if (before.status !== change.status) return true;
  const code = change.also?.lastErrorCode;
  return code !== undefined && code !== before.lastErrorCode;
}
