import {
  type RelayDestination,
  type RelayStopCause,
  type RelayStreamPlan,
  type RelayStreamStatus,
  streamQualitySchema,
} from '../../relay/protocol/relay-protocol.schemas';
import type { StreamStatus } from '../stream-records/stream-status';
import { type StreamSlateColumns, slateOf } from '../stream-records/stream-slate';

export interface PlannedStream extends StreamSlateColumns {
  id: string;
  userId: string;
  quality: string;
  destinationsVersion: number;
  record: boolean;
}

/** Everything a relay needs to carry the stream, given the destinations it should feed. */
export function relayStreamPlan(row: PlannedStream, destinations: RelayDestination[]): RelayStreamPlan {
  return {
    streamId: row.id,
    userId: row.userId,
    // Rows only ever hold the API's qualities; an odd one (edited by hand) gets the API's default.
    quality: streamQualitySchema.catch('720p').parse(row.quality),
    reconnectWindowSeconds: row.reconnectWindowSeconds,
    slate: slateOf(row),
    destinationsVersion: row.destinationsVersion,
    destinations,
    record: row.record,
  };
}

/** The reason recorded when the relay confirms a stop the API asked for. */
export const STOP_CONFIRMED_REASON = 'the relay confirmed the stop';

/**
 * What a relay's status report means for the stream, given where the stream is now.
 *
 * `reconnecting` (the glasses left, the slate is on air), `error` (the relay's encoder keeps failing)
 * and the other live states are taken as reported. `stopped` ends the stream when we asked for the
 * stop (`stopping`), or when the relay says it stopped carrying it for good: the publisher left a
 * stream without a reconnect window (nothing waits for the glasses: no slate, no sessions), the window
 * ran out, or the API's stop. A relay going away (`relay_shutdown`) leaves the stream `reconnecting`:
 * the glasses may come back through another relay, and the maintenance scan ends it after
 * STREAM_RECONNECT_TIMEOUT_SECONDS. A report without a cause (an older relay) is read as before:
 * `stopped` after the slate ends the stream, any other waits as `reconnecting`.
 */
export function streamStatusFromRelay(
  reported: RelayStreamStatus['status'],
  current: StreamStatus,
  reconnectWindowSeconds: number,
  stopCause?: RelayStopCause,
): StreamStatus {
  if (reported !== 'stopped') return reported;
  if (current === 'stopping') return 'stopped';
  if (stopCause === 'relay_shutdown') return 'reconnecting';
  if (stopCause !== undefined) return 'stopped';
  if (current === 'reconnecting' && reconnectWindowSeconds > 0) return 'stopped';
  return 'reconnecting';
}
