import type { ManagedStreamResponse, StreamEvent } from './generated/api.js';

/** The glasses' uplink as the relay graded it (a stream's `ingest`, without its time). */
export type IngestHealth = Omit<NonNullable<ManagedStreamResponse['ingest']>, 'updatedAt'>;

/**
 * `stream.ingest_health`: the grade of the glasses' uplink changed. `status` is the new grade,
 * `reason` says why, `data` holds the figures it was given on (over the last 10 s).
 */
export type IngestHealthEvent = StreamEvent & {
  type: 'stream.ingest_health';
  status: IngestHealth['grade'];
  reason: string;
  data: Omit<IngestHealth, 'grade' | 'reason'>;
};

/** Narrows an event from `onStreamStatus` to a change of uplink grade, e.g. to ask the glasses for less. */
export function isIngestHealthEvent(event: StreamEvent): event is IngestHealthEvent {
  return event.type === 'stream.ingest_health' && event.data !== null;
}
