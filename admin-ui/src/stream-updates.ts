import type { AdminStream, DestinationError, DestinationStatus, LiveDestination, StreamEvent } from './types';

const DESTINATION_STATUSES: readonly string[] = [
  'idle',
  'starting',
  'broadcasting',
  'retrying',
  'failed',
  'stopped',
] satisfies DestinationStatus[];
const STREAM_STATUSES: readonly string[] = [
  'initializing',
  'connecting',
  'active',
  'reconnecting',
  'stopping',
  'stopped',
  'error',
] satisfies AdminStream['status'][];

/** An event's status is a plain string on the wire: only a known one replaces the stream's. */
function streamStatusOf(status: string | null, current: AdminStream['status']): AdminStream['status'] {
  return status !== null && STREAM_STATUSES.includes(status) ? (status as AdminStream['status']) : current;
}

export interface AppliedEvent {
  streams: AdminStream[];
  /** The event changed something the event alone does not describe (a new destination, a new stream). */
  needsRefresh: boolean;
}

/**
 * Applies a live stream event to the streams on screen at once; what an event cannot carry
 * (a new destination's name, a stream that was not listed) is left to a refresh from the API.
 */
export function applyStreamEvent(streams: readonly AdminStream[], event: StreamEvent): AppliedEvent {
  const index = streams.findIndex((stream) => stream.id === event.streamId);
  if (index === -1) return { streams: [...streams], needsRefresh: true };
  const stream = streams[index];
  let updated: AdminStream = stream;
  let needsRefresh = false;
  switch (event.type) {
    case 'stream.status':
      updated = { ...stream, status: streamStatusOf(event.status, stream.status), statusReason: event.reason };
      // Stats, startedAt and the relay come with the stream, not the event.
      needsRefresh = true;
      break;
    case 'destination.status': {
      const status = event.status;
      const known = stream.destinations.some((destination) => destination.id === event.destinationId);
      if (!known || !status || !DESTINATION_STATUSES.includes(status)) {
        needsRefresh = true;
        break;
      }
      updated = {
        ...stream,
        destinations: stream.destinations.map((destination) =>
          destination.id === event.destinationId
            ? {
                ...destination,
                status: status as DestinationStatus,
                ...healthOf(event.data, destination),
                enabled: typeof event.data?.enabled === 'boolean' ? event.data.enabled : destination.enabled,
              }
            : destination,
        ),
      };
      break;
    }
    case 'destination.removed':
      updated = { ...stream, destinations: stream.destinations.filter((destination) => destination.id !== event.destinationId) };
      break;
    default:
      needsRefresh = true;
  }
  const next = [...streams];
  next[index] = updated;
  return { streams: next, needsRefresh };
}

/** `destination.status` events carry the attempts, next retry and last error as the API has them. */
function healthOf(
  data: StreamEvent['data'],
  destination: LiveDestination,
): Pick<LiveDestination, 'attempts' | 'nextRetryAt' | 'lastError'> {
  const error = data?.lastError as DestinationError | null | undefined;
  return {
    attempts: typeof data?.attempts === 'number' ? data.attempts : destination.attempts,
    nextRetryAt: typeof data?.nextRetryAt === 'string' || data?.nextRetryAt === null ? data.nextRetryAt : destination.nextRetryAt,
    lastError: error === undefined ? destination.lastError : error,
  };
}

/** One history without duplicates, oldest first (events arrive from pages and from the live feed). */
export function mergeEvents(a: readonly StreamEvent[], b: readonly StreamEvent[]): StreamEvent[] {
  const byId = new Map<string, StreamEvent>();
  for (const event of [...a, ...b]) byId.set(event.id, event);
  // Ids are increasing numbers as strings: a shorter id is an older one when the times are equal.
  return [...byId.values()].sort(
    (x, y) => x.createdAt.localeCompare(y.createdAt) || x.id.length - y.id.length || x.id.localeCompare(y.id),
  );
}
