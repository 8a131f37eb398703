import type { DestinationStatus, StreamStatus } from '../stream-records/stream-status';
import { holdsLiveSlot, isEnded } from '../stream-records/stream-status';

/** What the maintenance scan knows of a stream that may need repair. */
export interface StreamCandidate {
  id: string;
  status: StreamStatus;
  createdAt: Date;
  startedAt: Date | null;
  /** Seconds since startedAt after which the stream stops; null means no limit. */
  durationLimit: number | null;
  /** When the stream entered its current status (its last status event). */
  statusSince: Date;
  /** Seconds the relay keeps the slate on air after the glasses drop; 0 = none. */
  reconnectWindowSeconds: number;
}

export interface DestinationCandidate {
  id: string;
  streamId: string;
  appId: string;
  streamStatus: StreamStatus;
  streamReconnectWindowSeconds: number;
  status: DestinationStatus;
  updatedAt: Date;
}

export interface RepairLimits {
  publishTimeoutSeconds: number;
  reconnectTimeoutSeconds: number;
  initializingTimeoutSeconds: number;
  stopGraceSeconds: number;
  destinationStartingTimeoutSeconds: number;
}

/** `stop` goes through the strategy (so nothing is left on the carrier); `finalize` only closes the row. */
export interface StreamRepair {
  streamId: string;
  /** The status the decision was made from; the repair is skipped if the stream has moved on. */
  from: StreamStatus;
  action: 'stop' | 'finalize';
  reason: string;
}

export interface DestinationRepair {
  streamId: string;
  destinationId: string;
  appId: string;
  from: DestinationStatus;
  to: 'idle' | 'stopped';
  reason: string;
}

const elapsedSeconds = (since: Date, now: Date) => (now.getTime() - since.getTime()) / 1000;

export function durationLimitReached(
  stream: Pick<StreamCandidate, 'status' | 'startedAt' | 'durationLimit'>,
  now: Date,
): boolean {
  if (!holdsLiveSlot(stream.status) || stream.durationLimit === null || stream.startedAt === null) return false;
  return elapsedSeconds(stream.startedAt, now) >= stream.durationLimit;
}

export const DURATION_LIMIT_REASON = 'duration limit reached';

/** Slack for the relay's own timer and its report reaching us before we end a stream it still holds. */
export const RECONNECT_WINDOW_MARGIN_SECONDS = 30;

/**
 * How long a stream may stay `reconnecting`. The relay ends the stream itself when its reconnect
 * window runs out; the scan only catches streams whose relay went silent, and never cuts a window
 * short (nor waits less than it did before windows existed).
 */
export function reconnectTimeoutSeconds(
  reconnectWindowSeconds: number,
  limits: Pick<RepairLimits, 'reconnectTimeoutSeconds'>,
): number {
  if (reconnectWindowSeconds <= 0) return limits.reconnectTimeoutSeconds;
  return Math.max(limits.reconnectTimeoutSeconds, reconnectWindowSeconds + RECONNECT_WINDOW_MARGIN_SECONDS);
}

/** The one repair a stream needs now, if any. */
export function planStreamRepair(stream: StreamCandidate, now: Date, limits: RepairLimits): StreamRepair | null {
  const repair = (action: StreamRepair['action'], reason: string): StreamRepair => ({
    streamId: stream.id,
    from: stream.status,
    action,
    reason,
  });
  if (stream.status === 'stopping' && elapsedSeconds(stream.statusSince, now) > limits.stopGraceSeconds) {
    return repair('finalize', 'the carrier did not confirm the stop in time');
  }
  if (stream.status === 'initializing' && elapsedSeconds(stream.createdAt, now) > limits.initializingTimeoutSeconds) {
    return repair('stop', `provisioning did not finish within ${limits.initializingTimeoutSeconds} s`);
  }
  if (
    stream.status === 'connecting' &&
    stream.startedAt === null &&
    elapsedSeconds(stream.createdAt, now) > limits.publishTimeoutSeconds
  ) {
    return repair('stop', `the glasses did not publish within ${limits.publishTimeoutSeconds} s`);
  }
  const reconnectTimeout = reconnectTimeoutSeconds(stream.reconnectWindowSeconds, limits);
  if (stream.status === 'reconnecting' && elapsedSeconds(stream.statusSince, now) > reconnectTimeout) {
    return repair('stop', `the glasses did not come back within ${reconnectTimeout} s`);
  }
  if (durationLimitReached(stream, now)) return repair('stop', DURATION_LIMIT_REASON);
  return null;
}

/**
 * Destinations left `starting` on a stream that is not active go back to `idle` (or `stopped` when
 * the stream ended); destinations still `broadcasting` on an ended stream are `stopped`. Only
 * after a timeout, so a late report from the relay wins. A `reconnecting` stream with a reconnect
 * window counts as active: the relay keeps its destinations fed with the slate.
 */
export function planDestinationRepair(
  destination: DestinationCandidate,
  now: Date,
  limits: Pick<RepairLimits, 'destinationStartingTimeoutSeconds'>,
): DestinationRepair | null {
  if (elapsedSeconds(destination.updatedAt, now) <= limits.destinationStartingTimeoutSeconds) return null;
  const ended = isEnded(destination.streamStatus);
  const repair = (to: DestinationRepair['to'], reason: string): DestinationRepair => ({
    streamId: destination.streamId,
    destinationId: destination.id,
    appId: destination.appId,
    from: destination.status,
    to,
    reason,
  });
  const fed =
    destination.streamStatus === 'active' ||
    (destination.streamStatus === 'reconnecting' && destination.streamReconnectWindowSeconds > 0);
  if (destination.status === 'starting' && !fed) {
    return ended
      ? repair('stopped', `the stream is ${destination.streamStatus}`)
      : repair('idle', `still starting while the stream is not active (${destination.streamStatus})`);
  }
  if (destination.status === 'broadcasting' && ended) return repair('stopped', `the stream is ${destination.streamStatus}`);
  return null;
}
