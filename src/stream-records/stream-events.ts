import { z } from 'zod';
import { createZodDto } from '../common/zod-dto';
import type { IngestHealth } from '../../relay/protocol/relay-protocol.schemas';
import type { DestinationStatus, StreamStatus } from './stream-status';

export const STREAM_EVENT_TYPES = [
  'stream.status',
  'stream.playback',
  'stream.ingest_health',
  'stream.app_attached',
  'stream.app_detached',
  'destination.added',
  'destination.removed',
  'destination.status',
] as const;
export type StreamEventType = (typeof STREAM_EVENT_TYPES)[number];

/** An event as stored and as sent over SSE and Redis. */
export const streamEventSchema = z.object({
  id: z.string(),
  streamId: z.string(),
  destinationId: z.string().nullable(),
  /** Destination events are shown only to the app that owns the destination. */
  appId: z.string().nullable(),
  type: z.enum(STREAM_EVENT_TYPES),
  status: z.string().nullable(),
  reason: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
});
export type StreamEventMessage = z.infer<typeof streamEventSchema>;
/** The `data:` of each Server-Sent Event, in the OpenAPI document for clients. */
export class StreamEventDto extends createZodDto(streamEventSchema) {}

/** What a service records; the repository adds id and time. */
export interface NewStreamEvent {
  streamId: string;
  destinationId?: string | null;
  appId?: string | null;
  type: StreamEventType;
  status?: string | null;
  reason?: string | null;
  data?: Record<string, unknown> | null;
}

/** A stream's status `stopped` is final: nothing more happens to the stream after it. */
export function isFinalStreamEvent(event: Pick<StreamEventMessage, 'type' | 'status'>): boolean {
  return event.type === 'stream.status' && event.status === 'stopped';
}

export function visibleToApp(event: StreamEventMessage, appId: string): boolean {
  return event.appId === null || event.appId === appId;
}

// The one place each kind of event is built: every writer records the same shape.

/** A stream's status; also recorded without a change of status when its carrier or URLs change. */
export function streamStatusEvent(
  streamId: string,
  status: StreamStatus,
  reason: string | null,
  data?: Record<string, unknown>,
): NewStreamEvent {
  return { streamId, type: 'stream.status', status, reason, ...(data ? { data } : {}) };
}

/** Playback became available (HLS, and DASH where the carrier has it). */
export function streamPlaybackEvent(streamId: string, data: Record<string, unknown>): NewStreamEvent {
  return { streamId, type: 'stream.playback', status: 'hls_ready', data };
}

/** The grade of the glasses' uplink changed: status is the grade, data the figures it was given on. */
export function streamIngestHealthEvent(streamId: string, health: IngestHealth): NewStreamEvent {
  const { grade, reason, ...figures } = health;
  return { streamId, type: 'stream.ingest_health', status: grade, reason, data: figures };
}

export function appAttachedEvent(streamId: string, appId: string): NewStreamEvent {
  return { streamId, type: 'stream.app_attached', data: { appId } };
}

export function appDetachedEvent(streamId: string, appId: string): NewStreamEvent {
  return { streamId, type: 'stream.app_detached', data: { appId } };
}

export function destinationAddedEvent(
  streamId: string,
  appId: string,
  destination: { id: string; name: string; url: string },
): NewStreamEvent {
  return {
    streamId,
    destinationId: destination.id,
    appId,
    type: 'destination.added',
    status: 'idle',
    data: { name: destination.name, url: destination.url },
  };
}

export function destinationRemovedEvent(
  streamId: string,
  appId: string,
  destination: { id: string; name: string },
): NewStreamEvent {
  return { streamId, destinationId: destination.id, appId, type: 'destination.removed', data: { name: destination.name } };
}

/** Shown only to the app that owns the destination. */
export function destinationStatusEvent(
  streamId: string,
  destination: { id: string; appId: string },
  status: DestinationStatus,
  reason: string | null,
  data?: Record<string, unknown>,
): NewStreamEvent {
  return {
    streamId,
    destinationId: destination.id,
    appId: destination.appId,
    type: 'destination.status',
    status,
    reason,
    ...(data ? { data } : {}),
  };
}
