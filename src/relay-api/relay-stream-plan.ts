import {
  type RelayDestination,
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

/**
 * What a relay's status report means for the stream, given where the stream is now.
 *
 * `reconnecting` (the glasses left, the slate is on air) and the other live states are taken as
 * reported. `stopped` ends the stream when we asked for the stop (`stopping`), or when the relay
 * held the slate for the stream's reconnect window (the stream is `reconnecting` with a window):
 * the glasses did not come back in time. Any other `stopped` means the publisher is gone with no
 * slate (a window of 0, an older relay, or a relay that went away): the glasses may still come
 * back, through this relay or another, so the stream waits as `reconnecting` and the maintenance
 * scan ends it after STREAM_RECONNECT_TIMEOUT_SECONDS, as before reconnect windows existed.
 */
export function streamStatusFromRelay(
  reported: RelayStreamStatus['status'],
  current: StreamStatus,
  reconnectWindowSeconds: number,
): StreamStatus {
  if (reported !== 'stopped') return reported;
  if (current === 'stopping') return 'stopped';
  if (current === 'reconnecting' && reconnectWindowSeconds > 0) return 'stopped';
  return 'reconnecting';
}
