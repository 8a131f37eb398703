import type { StreamEventMessage } from '../stream-records/stream-events';

/** The JSON body apps receive: the stored event as SSE shows it, without internal routing fields. */
export function webhookBody(event: StreamEventMessage): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    destinationId: event.destinationId,
    status: event.status,
    reason: event.reason,
    data: event.data,
    createdAt: event.createdAt,
  });
}
